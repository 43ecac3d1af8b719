import * as v from 'valibot';
import { Comment, CommentText, Conversation, Target, Uuid, type Role, type User } from './model.js';
import { LIMITS } from './limits.js';
import type { Failure, Result } from './errors.js';
import type { NewTextChatWire } from './wire.js';

/**
 * The Socket.IO contract: client→server requests (each with an acknowledgement) and server→client
 * broadcasts. docs/protocol.md describes each with an example payload.
 */

// ---- client → server payloads (validated by the server with these schemas) ----

export const Seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

export const PageJoinRequest = v.strictObject({ url: v.string(), sinceSeq: v.optional(Seq) });
export type PageJoinRequest = v.InferOutput<typeof PageJoinRequest>;

export const PageSyncRequest = v.strictObject({ url: v.string(), sinceSeq: Seq });
export type PageSyncRequest = v.InferOutput<typeof PageSyncRequest>;

export const PageLeaveRequest = v.strictObject({ url: v.string() });
export type PageLeaveRequest = v.InferOutput<typeof PageLeaveRequest>;

export const NewChat = v.strictObject({ id: Uuid, url: v.string(), target: Target, text: CommentText });
export type NewChat = v.InferOutput<typeof NewChat>;

export const CreateRequest = v.strictObject({ broadcastId: Uuid, chat: NewChat });
export type CreateRequest = v.InferOutput<typeof CreateRequest>;

/** Exactly one change per update, so every revision is one thing a person did. */
export const ChatChange = v.union([
  v.strictObject({ addComment: v.strictObject({ id: Uuid, text: CommentText }) }),
  v.strictObject({ editComment: v.strictObject({ id: Uuid, text: CommentText }) }),
  v.strictObject({ deleteComment: v.strictObject({ id: Uuid }) }),
  v.strictObject({ resolved: v.boolean() }),
]);
export type ChatChange = v.InferOutput<typeof ChatChange>;

export const UpdateRequest = v.strictObject({
  broadcastId: Uuid,
  id: Uuid,
  baseRevision: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  changes: ChatChange,
});
export type UpdateRequest = v.InferOutput<typeof UpdateRequest>;

export const DeleteRequest = v.strictObject({ broadcastId: Uuid, id: Uuid });
export type DeleteRequest = v.InferOutput<typeof DeleteRequest>;

/**
 * Undo of a deletion: brings back a deleted conversation with its replies as they were, for whoever
 * may delete it, within RESTORE_WINDOW_MS of the deletion. Declared like a deletion: the same fields.
 */
export const RestoreRequest = v.strictObject({ broadcastId: Uuid, id: Uuid });
export type RestoreRequest = v.InferOutput<typeof RestoreRequest>;

// ---- server → client broadcasts ----

interface Broadcast {
  broadcastId: string;
  seq: number;
  pageKey: string;
  id: string;
}

/**
 * A new conversation as broadcast: only what is not implied. A new conversation is always at
 * revision 1, unresolved, with one comment whose id is the conversation's id and whose author and
 * time are the conversation's. `conversationOf()` expands it. Keeping the frame small is a product
 * goal (a typical `new-text-chat` under 600 bytes on the wire): on the socket it travels as the
 * tuple of protocol/wire.ts; this object is what both ends work with.
 */
export interface NewChatBody {
  target: Target;
  text: string;
  author: User;
  createdAt: number;
  /**
   * Present only when the conversation was restored (`text-chat:restore`): it comes back as a
   * `new-text-chat` (no fourth broadcast), with what a new one does not imply. A client that saw it
   * deleted takes it back only from such an event with a seq after the deletion; a plain create of
   * a deleted id stays refused (extension/background/reducer.ts).
   */
  restored?: RestoredChat;
}

/** What a restored conversation carries besides a create's body: its revision, state and whole live thread. */
export const RestoredChat = v.strictObject({
  revision: v.pipe(v.number(), v.integer(), v.minValue(1)),
  resolved: v.boolean(),
  comments: v.pipe(v.array(Comment), v.minLength(1), v.maxLength(LIMITS.comments)),
});
export type RestoredChat = v.InferOutput<typeof RestoredChat>;

export interface NewTextChat extends Broadcast {
  chat: NewChatBody;
}

/** The full conversation a `new-text-chat` stands for. */
export function conversationOf(event: { id: string; chat: NewChatBody }): Conversation {
  const { target, text, author, createdAt, restored } = event.chat;
  if (restored) return { id: event.id, target, author, createdAt, ...restored };
  return { id: event.id, target, author, createdAt, revision: 1, resolved: false, comments: [{ id: event.id, author, text, createdAt }] };
}

/** Only what changed: one of the delta fields is present. `by` is who made the change. */
export type ChatDelta =
  | { addComment: Comment }
  | { editComment: { id: string; text: string; editedAt: number } }
  | { deleteComment: { id: string } }
  | { resolved: boolean };

export type UpdatedTextChat = Broadcast & { revision: number; by: User } & ChatDelta;

export type DeletedTextChat = Broadcast;

export interface Presence {
  pageKey: string;
  /** Distinct users of the tenant on the page (not sockets, not tabs). */
  viewers: number;
  users: User[];
}

export interface Session {
  tenant: string;
  user: User;
  role: Role;
}

/** Omit over each member of a union (plain Omit would merge the members and lose the delta fields). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One change of a page as kept in its change log and replayed by `sinceSeq`. */
export type Change =
  | ({ type: 'new-text-chat' } & Omit<NewTextChat, 'pageKey'>)
  | ({ type: 'updated-text-chat' } & OmitEach<UpdatedTextChat, 'pageKey'>)
  | ({ type: 'deleted-text-chat' } & Omit<DeletedTextChat, 'pageKey'>);

export type BroadcastEventName = Change['type'];

/** A busy page's coalesced frame: the events of one batching window, in seq order (`new-text-chat` as its tuple). */
export type BatchEntry =
  | ['new-text-chat', NewTextChatWire]
  | ['updated-text-chat', UpdatedTextChat]
  | ['deleted-text-chat', DeletedTextChat];

// ---- acknowledgements ----

interface PageState {
  pageKey: string;
  /** The page's latest seq: apply changes up to it, then expect seq + 1 next. */
  seq: number;
  viewers: number;
  users: User[];
}

/**
 * Either a full snapshot (`conversations`; `reset: true` when a `sinceSeq` was asked for but is
 * older than the kept change log, so the client must replace its state) or the `changes` after `sinceSeq`.
 */
export type SyncState =
  | (PageState & { conversations: Conversation[]; reset?: true })
  | (PageState & { changes: Change[] });

export type PageJoinAck = Result<SyncState>;
export type PageSyncAck = Result<SyncState>;
export type PageLeaveAck = Result<{ pageKey: string }>;
/**
 * A stored create is answered with only what the server added to the request (who, when, its seq):
 * the client has the rest, and `conversationOfCreate()` puts the two together. Sending the whole
 * conversation back cost ~700 bytes and a serialization per create (docs/benchmarks.md, change 17).
 * A create retried after it was stored is answered with the stored conversation, which may have
 * changed since.
 */
export type CreateAck = Result<{ seq: number; author: User; createdAt: number } | { seq: number; chat: Conversation; duplicate: true }>;

/** The conversation a successful create acknowledgement stands for. */
export function conversationOfCreate(req: CreateRequest, ack: CreateAck & { ok: true }): Conversation {
  if ('chat' in ack) return ack.chat;
  const { id, target, text } = req.chat;
  return conversationOf({ id, chat: { target, text, author: ack.author, createdAt: ack.createdAt } });
}
/**
 * An answer's `seq` is the seq of the change the operation made. An operation that changed nothing (a
 * retry of one already applied, a no-op) says so, `unchanged` here and `duplicate` for a create, and its
 * `seq` is then the page's seq at that moment: somebody else's change, which a client must not take
 * for its own (extension/background/reducer.ts, `foldAnswer`). On `conflict` the current conversation
 * comes with the error, so the client can show what won.
 */
export type UpdateAck = Result<{ seq: number; revision: number; chat: Conversation; unchanged?: true }> | Failure<{ current?: Conversation }>;
export type DeleteAck = Result<{ seq: number; unchanged?: true }>;
/**
 * A restore is answered with the conversation as it came back (the client removed it when it was
 * deleted, and folds this like an update's `chat`). Restoring a live conversation changes nothing:
 * `unchanged`, with the conversation as it is.
 */
export type RestoreAck = Result<{ seq: number; chat: Conversation; unchanged?: true }>;

export interface ClientToServerEvents {
  'page:join': (req: PageJoinRequest, ack: (res: PageJoinAck) => void) => void;
  'page:sync': (req: PageSyncRequest, ack: (res: PageSyncAck) => void) => void;
  'page:leave': (req: PageLeaveRequest, ack: (res: PageLeaveAck) => void) => void;
  'text-chat:create': (req: CreateRequest, ack: (res: CreateAck) => void) => void;
  'text-chat:update': (req: UpdateRequest, ack: (res: UpdateAck) => void) => void;
  'text-chat:delete': (req: DeleteRequest, ack: (res: DeleteAck) => void) => void;
  'text-chat:restore': (req: RestoreRequest, ack: (res: RestoreAck) => void) => void;
}

export interface ServerToClientEvents {
  /** Encoded by `encodeNewTextChat`, read with `decodeNewTextChat` (protocol/wire.ts). */
  'new-text-chat': (e: NewTextChatWire) => void;
  'updated-text-chat': (e: UpdatedTextChat) => void;
  'deleted-text-chat': (e: DeletedTextChat) => void;
  'text-chat-batch': (entries: BatchEntry[]) => void;
  presence: (e: Presence) => void;
  session: (e: Session) => void;
}

/** What a client puts in the Socket.IO handshake's `auth`. */
export type HandshakeAuth = { token: string } | { anonymousId: string; name: string };
