/**
 * STATE_DIR/announced.json, where earlier versions kept what was announced: read once, to import it as the starting
 * server's baseline, so nothing is announced again because of the move to the database.
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SeenKey, SeenKind } from '../db/seen.js';

/** The file in STATE_DIR that holds the record. */
export const STATE_FILE = 'announced.json';

/** The record as stored: whether a baseline was taken, and the keys of the papers announced or in it. */
const AnnounceStateSchema = z.object({
  version: z.literal(1),
  baseline: z.boolean(),
  announcedIds: z.array(z.string()),
  announcedTitles: z.array(z.string()),
  // Later versions of the file added these.
  announcedAbstracts: z.array(z.string()).default([]),
  announcedSignatures: z.array(z.string()).default([]),
});

/** The record's keys as the database stores them, and how many papers it holds. */
export interface ImportedSeen {
  keys: SeenKey[];
  papers: number;
}

/** Reads the record from `stateDir`: null when there is none with a baseline; an invalid file is moved aside (kept). */
export async function loadState(stateDir: string): Promise<ImportedSeen | null> {
  const file = join(stateDir, STATE_FILE);
  const text = await readFile(file, 'utf8').catch((error: unknown) => (isCode(error, 'ENOENT') ? null : Promise.reject(error)));
  if (text === null) return null;
  let state: z.infer<typeof AnnounceStateSchema>;
  try {
    state = AnnounceStateSchema.parse(JSON.parse(text));
  } catch {
    await rename(file, `${file}.unreadable-${Date.now()}`);
    return null;
  }
  if (!state.baseline) return null;
  const byKind = { id: state.announcedIds, title: state.announcedTitles, abstract: state.announcedAbstracts, signature: state.announcedSignatures };
  const keys = Object.entries(byKind).flatMap(([kind, values]) => values.map((value) => ({ kind: kind as SeenKind, value })));
  return { keys, papers: state.announcedIds.length };
}

/** True when `error` carries this `code` (a Node system error's, or Discord's JSON error code). */
export function isCode(error: unknown, code: string | number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
