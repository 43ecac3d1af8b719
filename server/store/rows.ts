import type { Change } from '../../protocol/events.js';
import type { Comment, Conversation, Target } from '../../protocol/model.js';

export interface ConversationRow {
  /**
   * The row's own integer key (schema.ts, migration 4); its thread is filed under it. Never leaves
   * the store: it is read and used within one transaction, so SQLite reusing the key of a removed
   * tombstone (no AUTOINCREMENT) can point nothing at the wrong conversation.
   */
  key: number;
  id: string;
  tenant: string;
  page_key: string;
  target: string;
  author_id: string;
  author_name: string;
  created_at: number;
  revision: number;
  resolved: number;
  deleted_at: number | null;
  deleted_seq: number | null;
  /** The page seq its creation took; 0 for rows older than schema 6, whose creation is in the change log. */
  seq: number;
  /** The create's broadcastId when it is not the conversation's id (schema 6); otherwise null. */
  broadcast_id: string | null;
  /** Until when a deleted conversation may be restored (schema 9); null when live, or when it cannot be. */
  restorable_until: number | null;
}

export interface CommentRow {
  id: string;
  /** The key of its conversation's row. */
  conversation: number;
  n: number;
  author_id: string;
  author_name: string;
  text: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

export function toComment(row: CommentRow): Comment {
  const comment: Comment = { id: row.id, author: { id: row.author_id, name: row.author_name }, text: row.text, createdAt: row.created_at };
  if (row.edited_at !== null) comment.editedAt = row.edited_at;
  return comment;
}

export function toConversation(row: ConversationRow, comments: Comment[]): Conversation {
  return {
    id: row.id,
    target: JSON.parse(row.target) as Target,
    author: { id: row.author_id, name: row.author_name },
    createdAt: row.created_at,
    revision: row.revision,
    resolved: row.resolved === 1,
    comments,
  };
}

/** A conversation's row with its first comment's text: what a resync rebuilds its create from (schema 6). */
export type CreatedRow = ConversationRow & { text: string };

/** The create a row stands for, as it was broadcast: the thread's first comment is its text. */
export function toCreateChange(row: CreatedRow): Change {
  const chat = { target: JSON.parse(row.target) as Target, text: row.text, author: { id: row.author_id, name: row.author_name }, createdAt: row.created_at };
  return { type: 'new-text-chat', broadcastId: row.broadcast_id ?? row.id, seq: row.seq, id: row.id, chat };
}
