/** Follow deliveries: a direct message per member and new paper naming the follows it matched, claimed before it is sent so it goes out once. */
import type { Kysely } from 'kysely';
import type { Corpus, Paper } from '../corpus/schema.js';
import { allFollows, claimDelivery, finishDelivery, type Follow } from '../db/follows.js';
import type { Database } from '../db/schema.js';
import { paperButtonsRow } from '../discord/components.js';
import { escapeText, paperEmbed } from '../discord/embeds.js';
import { LIMITS, truncate } from '../discord/limits.js';
import type { Logger } from '../log.js';
import { PaperIndex } from '../search/index.js';
import type { PaperSearch, SearchFilters } from '../search/types.js';
import type { LeaseCheck, OnNewPapers } from './announcer.js';
import { describeFailure, isCode } from './retry.js';
import { messageBody, nonceOf, pushTo, type AnnouncementBody } from './messages.js';

/** What deliveries need from Discord (by REST: no privileged intent). */
export interface DirectMessenger {
  /** Posts to the member's DM channel (opening it first); rejects with Discord's error (50007: DMs closed). */
  send(userId: string, body: AnnouncementBody): Promise<void>;
  /** True when the member is in the server; false when Discord answers Unknown Member or Unknown Guild. */
  isMember(guildId: string, userId: string): Promise<boolean>;
}

/** What `createFollowDeliverer` needs. */
export interface DelivererOptions {
  db: Kysely<Database>;
  dm: DirectMessenger;
  log: Logger;
  /** The index the commands use, when it holds the new papers; otherwise one is built over them. */
  search?: () => PaperSearch;
  /** The announcer lease: no message is sent while it is not held (the deliveries wait, claimed or not, for the next try). */
  lease?: LeaseCheck;
}

/** The follow deliverer: the announcer's `onNewPapers`. */
export function createFollowDeliverer(options: DelivererOptions): OnNewPapers {
  return async (papers, corpus) => {
    const follows = await allFollows(options.db);
    if (follows.length === 0 || papers.length === 0) return true;
    const matches = matchFollows(indexFor(options.search?.(), papers, corpus), follows, papers.map((paper) => paper.id));
    let complete = true;
    for (const [userId, perPaper] of matches) {
      const guilds = [...new Set(follows.filter((follow) => follow.userId === userId).map((follow) => follow.guildId))];
      const present = await stillMember(options.dm, guilds, userId, options.log);
      let closed: string | null = null;
      // `papers` come oldest first, and so do each member's messages.
      for (const paper of papers.filter((one) => perPaper.has(one.id))) {
        if (options.lease && !options.lease.held()) {
          complete = false;
          break;
        }
        const matched = perPaper.get(paper.id) ?? [];
        const followIds = matched.map((follow) => follow.id);
        const nonce = nonceOf(`dm:${userId}`, paper.id);
        const claim = await claimDelivery(options.db, { userId, paperId: paper.id, followIds, nonce, now: Date.now() });
        if (!claim.send) continue;
        const finish = (status: 'sent' | 'failed' | 'skipped', error: string | null): Promise<void> =>
          finishDelivery(options.db, { userId, paperId: paper.id, followIds, status, error, now: Date.now() });
        // Once Discord said the member's DMs are closed, the rest of this batch would fail the same way.
        if (!present || closed !== null) {
          await finish(present ? 'failed' : 'skipped', closed ?? 'not in any server the follows were made in');
          continue;
        }
        try {
          await options.dm.send(userId, deliveryMessage(paper, matched, claim.nonce));
          await finish('sent', null);
          options.log.info('follows: delivered', { userId, paperId: paper.id, follows: followIds });
        } catch (error) {
          if (isCode(error, 50007)) {
            closed = 'Discord: Cannot send messages to this user (50007): direct messages are closed';
            await finish('failed', closed);
            options.log.info('follows: direct messages closed; marked failed, the next paper tries again', { userId, paperId: paper.id });
          } else {
            // Left pending: the claim is retried (same nonce) until it goes through.
            complete = false;
            options.log.warn('follows: a direct message failed; it is retried', { userId, paperId: paper.id, reason: describeFailure(error).message });
          }
        }
      }
      if (!present) options.log.info('follows: member is in none of the servers their follows were made in; nothing sent', { userId, papers: perPaper.size });
    }
    return complete;
  };
}

/** The direct message for one paper: which follows matched, then the paper as /paper shows it, with its buttons. */
function deliveryMessage(paper: Paper, matched: readonly Pick<Follow, 'label'>[], nonce: string): AnnouncementBody {
  const names = matched.map((follow) => `**${escapeText(follow.label)}**`);
  const intro = `A new paper matches ${matched.length === 1 ? 'your follow' : 'your follows'} ${names.join(', ')}.`;
  const content = `${truncate(intro, LIMITS.messageContent - FOOTER.length - 1)}\n${FOOTER}`;
  return { content, ...messageBody([paperEmbed(paper)], nonce), components: [paperButtonsRow(paper)] };
}

/** The follows matching the papers `paperIds` (all in `index`): member id → paper id → follows; no match, no entry. */
export function matchFollows(index: PaperSearch, follows: readonly Follow[], paperIds: readonly string[]): Map<string, Map<string, Follow[]>> {
  const matches = new Map<string, Map<string, Follow[]>>();
  // Members often follow the same thing: each distinct rule is searched once.
  const byRule = new Map<string, string[]>();
  for (const follow of follows) {
    const { query, filters } = searchOf(follow);
    const rule = JSON.stringify([query, filters]);
    const found = byRule.get(rule) ?? index.matchingAmong(query, filters, paperIds);
    byRule.set(rule, found);
    for (const paperId of found) {
      const papers = matches.get(follow.userId) ?? new Map<string, Follow[]>();
      pushTo(papers, paperId, follow);
      matches.set(follow.userId, papers);
    }
  }
  return matches;
}

// The search a follow stands for: an author or category filter, or a topic's words (every one required) with its filters.
function searchOf(follow: Pick<Follow, 'kind' | 'value' | 'category' | 'hasCode'>): { query: string; filters: SearchFilters } {
  if (follow.kind === 'author') return { query: '', filters: { author: follow.value } };
  if (follow.kind === 'category') return { query: '', filters: { category: follow.value } };
  return { query: follow.value, filters: { category: follow.category ?? undefined, hasCode: follow.hasCode ?? undefined } };
}

const FOOTER = '-# /follow list shows your follows; /unfollow stops one.';

// The commands' index if it has every new paper (a reload may already have moved on), else a small one over them.
function indexFor(search: PaperSearch | undefined, papers: readonly Paper[], corpus: Corpus): PaperSearch {
  if (search && papers.every((paper) => search.get(paper.id) !== undefined)) return search;
  return PaperIndex.build({ profiles: corpus.profiles, papers: [...papers], diagnostics: [] });
}

// In at least one of the servers? A failure to ask (network, 5xx) counts as yes: nobody loses a message to an outage.
async function stillMember(dm: DirectMessenger, guilds: readonly string[], userId: string, log: Logger): Promise<boolean> {
  for (const guildId of guilds) {
    try {
      if (await dm.isMember(guildId, userId)) return true;
    } catch (error) {
      log.warn('follows: could not check membership; delivering anyway', { userId, guildId, reason: describeFailure(error).message });
      return true;
    }
  }
  return false;
}
