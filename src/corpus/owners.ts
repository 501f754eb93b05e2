/** Which papers belong to a profile: the one rule /stats and `npm run corpus` both count by. */
import { nameKeys } from './names.js';
import type { Paper } from './schema.js';

/** The papers whose owners include `owner` in any spelling ("Matthäus", "Matthaeus", "Matthaus": they share a key of `nameKeys`). */
export function papersOwnedBy(papers: readonly Paper[], owner: string): Paper[] {
  const keys = new Set(nameKeys(owner));
  return papers.filter((paper) => paper.owners.some((name) => nameKeys(name).some((key) => keys.has(key))));
}
