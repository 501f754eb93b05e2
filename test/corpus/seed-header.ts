/**
 * The one diagnostic the seed page gets: its header says h-index 137 (line 4), 105 papers and 7,711 citations,
 * and an h-index of 137 needs 137 papers with at least 137 citations each, so 137² = 18,769 citations.
 */
export const SEED_HEADER_REASON =
  'header figures cannot all be true: an h-index of 137 needs at least 18,769 citations (the page says 7,711) and at least 137 papers (the page says 105); they are shown as printed';
/** The line of `h-index137` on the seed page. */
export const SEED_HEADER_LINE = 4;
