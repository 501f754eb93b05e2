/** What /announce asks of the announcer; the announcer itself lives beside this file. */
import type { Paper } from '../corpus/schema.js';

/** The announcement queue as a command sees it. */
export interface AnnouncementControl {
  /** The channel announcements go to (null where none is configured) and the papers waiting, oldest first. */
  preview(): { channelId: string | null; pending: Paper[] };
  /** Posts the pending papers now; resolves with what was posted and what still waits (with the error, if a post failed). */
  postNow(): Promise<{ posted: number; pending: number; error: string | null }>;
}
