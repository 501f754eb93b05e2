/**
 * The record of what was announced as earlier versions kept it, in STATE_DIR/announced.json. The database holds
 * it now (src/db/); this reads an existing file once, to import it as the starting server's baseline
 * (src/live/announcing.ts), so nothing is announced again because of the move.
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SeenKey, SeenKind } from '../db/seen.js';

/** The file in STATE_DIR that holds the record. */
export const STATE_FILE = 'announced.json';

/** The record as stored: whether a baseline was taken, and the keys of the papers announced or in it (src/announce/seen.ts). */
const AnnounceStateSchema = z.object({
  version: z.literal(1),
  baseline: z.boolean(),
  announcedIds: z.array(z.string()),
  announcedTitles: z.array(z.string()),
  // Later versions of the file added these.
  announcedAbstracts: z.array(z.string()).default([]),
  announcedSignatures: z.array(z.string()).default([]),
});
export type AnnounceState = z.infer<typeof AnnounceStateSchema>;
/** The record's lists of keys. */
export type SeenLists = Pick<AnnounceState, 'announcedIds' | 'announcedTitles' | 'announcedAbstracts' | 'announcedSignatures'>;

/**
 * Reads the record from `stateDir`: null when there is none, or none with a baseline. A file that is not a valid
 * record is moved aside (kept for inspection) and counts as none.
 */
export async function loadState(stateDir: string): Promise<AnnounceState | null> {
  const file = join(stateDir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
  try {
    const state = AnnounceStateSchema.parse(JSON.parse(text));
    return state.baseline ? state : null;
  } catch {
    await rename(file, `${file}.unreadable-${Date.now()}`);
    return null;
  }
}

/** The record's keys, as the database stores them. */
export function listsToKeys(lists: SeenLists): SeenKey[] {
  const byKind = { id: lists.announcedIds, title: lists.announcedTitles, abstract: lists.announcedAbstracts, signature: lists.announcedSignatures };
  return Object.entries(byKind).flatMap(([kind, values]) => values.map((value) => ({ kind: kind as SeenKind, value })));
}

/** True when `error` carries this `code` (a Node system error's, or Discord's JSON error code). */
export function isCode(error: unknown, code: string | number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
