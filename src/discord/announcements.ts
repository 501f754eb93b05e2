/** What /announce asks of the announcer (src/announce/announcer.ts implements it); here so commands and the context can name it without importing announce/. */
import type { Paper } from '../corpus/schema.js';

/** What would be announced next, and where. */
export interface AnnouncementPreview {
  /** The channel announcements go to; null where none is configured. */
  channelId: string | null;
  /** The papers waiting, oldest first. */
  pending: Paper[];
  /** When the next retry of a failed post is due; absent or null when none is waiting. */
  retryAt?: Date | null;
  /** Why the last post failed, while posts keep failing; absent or null otherwise. */
  lastError?: string | null;
}

/** The announcement queue as a command sees it. */
export interface AnnouncementControl {
  /** The server's announcement channel (null where none is set) and the papers waiting there, oldest first. */
  preview(guildId: string | null): AnnouncementPreview;
  /** Posts the server's pending papers now; resolves with what was posted and what still waits (with the error, if a post failed). */
  postNow(guildId: string | null): Promise<{ posted: number; pending: number; error: string | null }>;
}
