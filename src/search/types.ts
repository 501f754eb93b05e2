/** The types the commands see of the index, each defined beside its code: plain data, with no Discord types. */
export type { SearchFilters } from './catalog.js';
// PaperSearch: the index every command queries. Never throws on any query text.
export type { PaperIndex as PaperSearch, PaperLookup, SearchOptions, SearchResult, SortOrder } from './index.js';
export type { Person } from './people.js';
export type { Suggestion, YearRange } from './query.js';
