/**
 * The record of what was announced as earlier versions kept it, in STATE_DIR/announced.json. The database holds
 * it now (src/db/); this reads an existing file once, to import it as the starting server's baseline
 * (src/live/announcing.ts), so nothing is announced again because of the move.
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** The file in STATE_DIR that holds the record. */
export const STATE_FILE = 'announced.json';

/** The record as stored. */
export const AnnounceStateSchema = z.object({
  version: z.literal(1),
  /** True once a corpus has been taken as the baseline (first start). */
  baseline: z.boolean(),
  /** Ids of the papers announced or in the baseline. */
  announcedIds: z.array(z.string()),
  /** Their normalized titles (`foldIdentity`), so a retitled paper whose id changed is not new. */
  announcedTitles: z.array(z.string()),
  /** Further keys of the same papers (src/announce/seen.ts): hashes of folded abstracts. */
  announcedAbstracts: z.array(z.string()).default([]),
  /** And `date|first author|title` signatures, to recognise a title with a typo fixed. */
  announcedSignatures: z.array(z.string()).default([]),
});
export type AnnounceState = z.infer<typeof AnnounceStateSchema>;

/** What `loadState` found: the record, or an empty one with the reason the file could not be used. */
export interface LoadedState {
  state: AnnounceState;
  /** Set when a file existed but was unreadable; it has been moved aside to `movedTo`. */
  problem: { reason: string; movedTo: string } | null;
}

/** An empty record: no baseline yet. */
export function emptyState(): AnnounceState {
  return { version: 1, baseline: false, announcedIds: [], announcedTitles: [], announcedAbstracts: [], announcedSignatures: [] };
}

/**
 * Reads the record from `stateDir`. A missing file is a first start. A file that is not a valid
 * record is moved aside (kept for inspection) and reported, and an empty record is returned.
 */
export async function loadState(stateDir: string): Promise<LoadedState> {
  const file = join(stateDir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return { state: emptyState(), problem: null };
    throw error;
  }
  const parsed = safeJson(text);
  const result = AnnounceStateSchema.safeParse(parsed.value);
  if (parsed.ok && result.success) return { state: result.data, problem: null };
  const reason = parsed.ok ? `not an announcement record: ${result.error?.issues[0]?.message ?? 'invalid'}` : `not JSON: ${parsed.error}`;
  const movedTo = `${file}.unreadable-${Date.now()}`;
  await rename(file, movedTo);
  return { state: emptyState(), problem: { reason, movedTo } };
}

function safeJson(text: string): { ok: true; value: unknown } | { ok: false; value: undefined; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, value: undefined, error: error instanceof Error ? error.message : String(error) };
  }
}

/** True when `error` carries this `code` (a Node system error's, or Discord's JSON error code). */
export function isCode(error: unknown, code: string | number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
