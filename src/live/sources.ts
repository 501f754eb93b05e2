/**
 * The sources in the running bot (docs/sources.md): every member's works, read again every SOURCES_REFRESH_MS and
 * served merged with the pages. A member's first successful read is its baseline: recorded as seen, not announced.
 */
import type { Kysely } from 'kysely';
import { rememberAsSeen, type Announcer } from '../announce/announcer.js';
import type { Paper } from '../corpus/schema.js';
import type { Database } from '../db/schema.js';
import { backgroundTurn } from '../foreground.js';
import type { Logger } from '../log.js';
import type { Lab } from '../sources/lab.js';
import { refreshSources, type SourceClients } from '../sources/refresh.js';
import type { LiveLibrary } from './watch.js';

/** What `startSourceRefresh` needs. */
export interface SourceRefreshOptions {
  lab: Lab;
  db: Kysely<Database>;
  library: LiveLibrary;
  clients: SourceClients;
  log: Logger;
  everyMs: number;
  /** The announcer of this process, when it announces (a standby replica records the baseline in the database alone). */
  announcer: () => Announcer | null;
}

/** Reads the sources now and then every `everyMs`, never while an interaction is being answered; `stop` waits briefly. */
export function startSourceRefresh(options: SourceRefreshOptions): { stop(): Promise<void> } {
  const log = options.log.child({ component: 'sources' });
  /** `source member` of each failure in progress: logged once when it starts and once when it ends. */
  const failing = new Set<string>();
  /** Works of a first read not yet recorded as seen (the database failed): recorded before the next swap. */
  let unrecorded: Paper[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const once = async (): Promise<void> => {
    await backgroundTurn();
    const { lab, library, db, clients } = options;
    const report = await refreshSources({ lab, pages: library.pages, db, clients, log }).catch((error: unknown) => {
      // The database itself failed: the works served stay as they are.
      episode('cache', '*', error instanceof Error ? error.message : String(error));
      return null;
    });
    if (!report) return;
    episode('cache', '*', null);
    for (const member of report.members) episode('openalex', member.member, member.error);
    episode('arxiv', '*', report.arxiv.error);
    if (stopped) return;
    const firstOwners = new Set(report.members.filter((member) => member.first).map((member) => member.member));
    const baseline = [...unrecorded, ...report.works.filter((work) => work.owners.some((owner) => firstOwners.has(owner)))];
    if (baseline.length > 0) {
      if (!(await recordBaseline(baseline))) {
        unrecorded = baseline;
        return; // served once they are recorded, or they would be announced
      }
      unrecorded = [];
      log.info('sources: first read of members taken as their baseline; their works are not announced', { members: [...firstOwners], works: baseline.length });
    }
    await options.library.setWorks(report.works);
  };

  async function recordBaseline(papers: Paper[]): Promise<boolean> {
    const announcer = options.announcer();
    if (announcer) return announcer.remember(papers);
    try {
      await rememberAsSeen(options.db, papers, Date.now());
      return true;
    } catch (error) {
      log.error('sources: could not record the first read as seen; its works are served after the next read', { error });
      return false;
    }
  }

  function episode(source: string, member: string, error: string | null): void {
    const key = `${source} ${member}`;
    if (error === null) {
      if (failing.delete(key)) log.info('sources: reading works again', { source, member });
    } else if (!failing.has(key)) {
      log.warn('sources: cannot read; the last good works keep serving (said once until it works again)', { source, member, error });
      failing.add(key);
    }
  }

  // The next read is timed from the end of the last: reads never overlap.
  const cycle = (): void => {
    running = once().finally(() => {
      if (stopped) return;
      timer = setTimeout(cycle, options.everyMs);
      timer.unref();
    });
  };
  cycle();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // A read waiting on a slow service is not waited for long: its result is dropped, the cache stays as it was.
      await Promise.race([running.catch(() => null), new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    },
  };
}

/** How long stopping waits for a read in progress. */
const STOP_WAIT_MS = 2_000;
