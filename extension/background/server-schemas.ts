import * as v from 'valibot';
import { Comment, Conversation, Millis, Role, Target, User } from '../../protocol/model.js';
import { ERROR_CODES } from '../../protocol/errors.js';
import { RestoredChat, Seq, type BatchEntry, type Change, type DeletedTextChat, type Presence, type Session, type SyncState, type UpdatedTextChat } from '../../protocol/events.js';
import { NewTextChatFromWire } from '../../protocol/wire.js';

/**
 * Schemas for what the server sends, so that the worker checks the server too (a mismatched server
 * version must not corrupt the cache). Envelopes are loose objects (unknown keys are dropped) so that
 * additive protocol changes do not break an older extension; the data model stays strict.
 * `new-text-chat` arrives as the tuple of protocol/wire.ts: its schema there checks and decodes it.
 */

const Revision = v.pipe(v.number(), v.integer(), v.minValue(1));

const base = { broadcastId: v.string(), seq: Seq, id: v.string() };
const paged = { ...base, pageKey: v.string() };

const addComment = { addComment: Comment };
const editComment = { editComment: v.object({ id: v.string(), text: v.string(), editedAt: Millis }) };
const deleteComment = { deleteComment: v.object({ id: v.string() }) };
const resolved = { resolved: v.boolean() };

/** The compact body of a replayed `new-text-chat` change (protocol's NewChatBody; conversationOf() expands it). */
const NewChatBodySchema = v.object({ target: Target, text: v.string(), author: User, createdAt: Millis, restored: v.optional(RestoredChat) });

const updatedEntries = { ...paged, revision: Revision, by: User };
export const UpdatedTextChatSchema = v.union([
  v.object({ ...updatedEntries, ...addComment }),
  v.object({ ...updatedEntries, ...editComment }),
  v.object({ ...updatedEntries, ...deleteComment }),
  v.object({ ...updatedEntries, ...resolved }),
]);
export const DeletedTextChatSchema = v.object(paged);

export const PresenceSchema = v.object({ pageKey: v.string(), viewers: v.pipe(v.number(), v.integer(), v.minValue(0)), users: v.array(User) });
export const SessionSchema = v.object({ tenant: v.string(), user: User, role: Role });

export const ChangeSchema = v.variant('type', [
  v.object({ type: v.literal('new-text-chat'), ...base, chat: NewChatBodySchema }),
  v.object({ type: v.literal('updated-text-chat'), ...base, revision: Revision, by: User, ...addComment }),
  v.object({ type: v.literal('updated-text-chat'), ...base, revision: Revision, by: User, ...editComment }),
  v.object({ type: v.literal('updated-text-chat'), ...base, revision: Revision, by: User, ...deleteComment }),
  v.object({ type: v.literal('updated-text-chat'), ...base, revision: Revision, by: User, ...resolved }),
  v.object({ type: v.literal('deleted-text-chat'), ...base }),
]);

export const BatchSchema = v.array(
  v.union([
    v.tuple([v.literal('new-text-chat'), NewTextChatFromWire]),
    v.tuple([v.literal('updated-text-chat'), UpdatedTextChatSchema]),
    v.tuple([v.literal('deleted-text-chat'), DeletedTextChatSchema]),
  ]),
);

const pageState = { pageKey: v.string(), seq: Seq, viewers: v.pipe(v.number(), v.integer(), v.minValue(0)), users: v.array(User) };

export const SyncStateSchema = v.union([
  v.object({ ...pageState, conversations: v.array(Conversation), reset: v.optional(v.literal(true)) }),
  v.object({ ...pageState, changes: v.array(ChangeSchema) }),
]);

const ErrorBodySchema = v.object({ code: v.picklist(ERROR_CODES), message: v.string() });
const FailureSchema = v.object({ ok: v.literal(false), error: ErrorBodySchema });

export const SyncAckSchema = v.union([v.object({ ok: v.literal(true), ...SyncStateSchema.options[0].entries }), v.object({ ok: v.literal(true), ...SyncStateSchema.options[1].entries }), FailureSchema]);
export const CreateAckSchema = v.union([
  v.object({ ok: v.literal(true), seq: Seq, author: User, createdAt: Millis }),
  v.object({ ok: v.literal(true), seq: Seq, chat: Conversation, duplicate: v.literal(true) }),
  FailureSchema,
]);
export const UpdateAckSchema = v.union([
  v.object({ ok: v.literal(true), seq: Seq, revision: Revision, chat: Conversation, unchanged: v.optional(v.literal(true)) }),
  v.object({ ok: v.literal(false), error: v.object({ ...ErrorBodySchema.entries, current: v.optional(Conversation) }) }),
]);
export const DeleteAckSchema = v.union([v.object({ ok: v.literal(true), seq: Seq, unchanged: v.optional(v.literal(true)) }), FailureSchema]);
export const RestoreAckSchema = v.union([v.object({ ok: v.literal(true), seq: Seq, chat: Conversation, unchanged: v.optional(v.literal(true)) }), FailureSchema]);

// The schemas and the protocol's types must describe the same thing: these fail to compile otherwise.
// `Change` (and so `SyncState`) is only checked one way: protocol's `Omit<UpdatedTextChat, 'pageKey'>`
// is not distributive and loses the delta fields, so the worker uses ServerChange, inferred here.
// A batch is checked as what the server sends fitting what the schema reads (its new-text-chat tuples
// are read by protocol/wire.ts, which types them more loosely than it writes them).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Fits<A, B> = [A] extends [B] ? true : false;
const _checks: [
  Same<v.InferOutput<typeof UpdatedTextChatSchema>, UpdatedTextChat>,
  Same<v.InferOutput<typeof DeletedTextChatSchema>, DeletedTextChat>,
  Same<v.InferOutput<typeof PresenceSchema>, Presence>,
  Same<v.InferOutput<typeof SessionSchema>, Session>,
  Fits<v.InferOutput<typeof ChangeSchema>, Change>,
  Fits<BatchEntry[], v.InferInput<typeof BatchSchema>>,
  Fits<v.InferOutput<typeof SyncStateSchema>, SyncState>,
] = [true, true, true, true, true, true, true];

export type ServerChange = v.InferOutput<typeof ChangeSchema>;
export type ServerSyncState = v.InferOutput<typeof SyncStateSchema>;
