/** Test helpers for the announcer: temp dirs, papers as plain data, a recording `post`, a hand-fired scheduler, a log in an array. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnnouncementBody } from '../../src/announce/messages.js';
import type { Scheduler } from '../../src/announce/retry.js';
import { paperId } from '../../src/corpus/ids.js';
import { PaperSchema, type Corpus, type Paper } from '../../src/corpus/schema.js';
import { createLogger, type Logger } from '../../src/log.js';

/** A fresh temp directory; remove it with `removeDir`. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `paperbot-${prefix}-`));
}

/** Removes a temp directory. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** A valid paper with the given title and date, its id derived from the title as the parser does. */
export function paper(title: string, date: string, extra: Partial<Paper> = {}): Paper {
  return PaperSchema.parse({
    id: paperId(title),
    title,
    authors: ['Ada Lovelace', 'Charles Babbage'],
    authorsTruncated: false,
    owners: ['Ada Lovelace'],
    affiliations: [],
    categoryCode: 'LG',
    category: 'cs.LG',
    categoryLabel: 'Machine Learning',
    date,
    hasCode: false,
    codeUrl: null,
    abstract: `About ${title}.`,
    source: { file: 'ada.txt', line: 1 },
    ...extra,
  });
}

/** A corpus of these papers, newest first as the merger orders them. */
export function corpusOf(papers: Paper[]): Corpus {
  return { profiles: [], papers: [...papers].sort((a, b) => b.date.localeCompare(a.date)), diagnostics: [] };
}

/** A `post` that records every message, and fails while `failWith` is set. */
export function recordingPost(): {
  post: (channelId: string, body: AnnouncementBody) => Promise<void>;
  messages: Array<{ channelId: string; body: AnnouncementBody }>;
  titles: () => string[];
  failWith: unknown;
  attempts: number;
} {
  const recorder = {
    messages: [] as Array<{ channelId: string; body: AnnouncementBody }>,
    failWith: undefined as unknown,
    attempts: 0,
    titles: () => recorder.messages.flatMap((message) => message.body.embeds.map((embed) => embed.title ?? '')),
    post: async (channelId: string, body: AnnouncementBody): Promise<void> => {
      recorder.attempts += 1;
      if (recorder.failWith !== undefined) throw recorder.failWith;
      recorder.messages.push({ channelId, body });
    },
  };
  return recorder;
}

/** A scheduler whose timers run only when the test fires them. */
export function manualScheduler(): { schedule: Scheduler; timers: Array<{ delayMs: number; run: () => void; cancelled: boolean }>; fireAll: () => void } {
  const timers: Array<{ delayMs: number; run: () => void; cancelled: boolean }> = [];
  return {
    timers,
    schedule: (run, delayMs) => {
      const timer = { delayMs, run, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
    fireAll: () => {
      for (const timer of timers.splice(0)) if (!timer.cancelled) timer.run();
    },
  };
}

/** A logger writing parsed lines into an array. */
export function arrayLogger(level: 'debug' | 'info' = 'info'): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, log: createLogger(level, (line) => lines.push(JSON.parse(line) as Record<string, unknown>)) };
}

/** One paper block as a profile page prints it. */
export interface PageBlock {
  title: string;
  /** As the page prints it: `Jul 19, 2022`. */
  date: string;
  category?: string;
  authors?: string;
  abstract?: string;
}

/** A profile page's text in the site's format, with these paper blocks. */
export function pageText(owner: string, blocks: PageBlock[]): string {
  const header = [owner, '', 'LG', 'h-index10', `${blocks.length}papers`, '100citations', '', `${blocks.length} Papers`, ''];
  const body = blocks.map((block) =>
    [`${block.category ?? 'LG'}${block.date}`, block.title, '', block.authors ?? `${owner}, Grace Hopper`, '', block.abstract ?? `We study ${block.title.toLowerCase()} in depth.`, ''].join('\n'),
  );
  return `${header.join('\n')}\n${body.join('\n')}`;
}
