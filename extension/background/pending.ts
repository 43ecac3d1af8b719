import type { CreateRequest, DeleteRequest, RestoreRequest, UpdateRequest } from '../../protocol/events.js';
import type { Conversation, User } from '../../protocol/model.js';
import type { LocalConversation } from '../../protocol/runtime.js';
import type { PageState } from './reducer.js';

/**
 * Operations not confirmed by the server yet: the outbox. Each one is plain data holding the full
 * request and the page's address, persisted in IndexedDB (outbox-store.ts) and replayed as is, with
 * the same ids, after a reconnection or a worker restart: what a tab sees is always the confirmed
 * state with these applied on top, in order.
 *
 * `seen` (updates) is the conversation's revision in the view the user acted on; it lets an edit
 * made on top of the user's own earlier pending changes follow them (outbox-rules.ts rebaseFollowers).
 * `before` (edits) is the comment's text in that view: while the comment still reads so, nobody
 * else's change is in the way of the edit (outbox-rules.ts verdict, `rebase`).
 */
export type PendingOp =
  | { kind: 'create'; pageKey: string; url: string; request: CreateRequest; author: User; at: number }
  | { kind: 'update'; pageKey: string; url: string; request: UpdateRequest; author: User; at: number; seen?: number; before?: string }
  | { kind: 'delete'; pageKey: string; url: string; request: DeleteRequest }
  /**
   * An undo of a deletion. `chat` is the conversation as this worker last showed it before the
   * deletion (Page.deletedHere), shown again at once until the server answers with its own copy;
   * absent when the worker no longer had it (a restart in between), then it shows on the answer.
   */
  | { kind: 'restore'; pageKey: string; url: string; request: RestoreRequest; chat?: Conversation };

export function opTarget(op: PendingOp): string {
  return op.kind === 'create' ? op.request.chat.id : op.request.id;
}

/** The conversation a `create` shows until the server confirms it. */
function optimisticChat(op: Extract<PendingOp, { kind: 'create' }>): LocalConversation {
  const { chat } = op.request;
  return {
    id: chat.id,
    target: chat.target,
    author: op.author,
    createdAt: op.at,
    revision: 1,
    resolved: false,
    // The first comment's id is the conversation's (protocol: conversationOf).
    comments: [{ id: chat.id, author: op.author, text: chat.text, createdAt: op.at }],
    pending: true,
  };
}

function applyLocal(chat: LocalConversation, op: Extract<PendingOp, { kind: 'update' }>): LocalConversation {
  const change = op.request.changes;
  let { comments, resolved } = chat;
  if ('addComment' in change) {
    const { id, text } = change.addComment;
    if (!comments.some((c) => c.id === id)) comments = [...comments, { id, author: op.author, text, createdAt: op.at }];
  } else if ('editComment' in change) {
    const { id, text } = change.editComment;
    comments = comments.map((c) => (c.id === id ? { ...c, text, editedAt: op.at } : c));
  } else if ('deleteComment' in change) {
    const { id } = change.deleteComment;
    comments = comments.filter((c) => c.id !== id);
  } else {
    resolved = change.resolved;
  }
  return { ...chat, comments, resolved, pending: true };
}

/**
 * The view's copy of each confirmed conversation, made once per conversation object. The reducer
 * never changes a conversation in place (a change is a new object, reducer.ts), nor does anything
 * change a view's conversations, so an unchanged conversation is the same object in every view,
 * and diffView knows its fingerprint without making it again.
 */
const confirmedCopies = new WeakMap<Conversation, LocalConversation>();

function confirmed(chat: Conversation): LocalConversation {
  let copy = confirmedCopies.get(chat);
  if (copy === undefined) {
    copy = { ...chat };
    confirmedCopies.set(chat, copy);
  }
  return copy;
}

/**
 * One op over `view`, as viewOf applies it: it reads and changes only its own conversation's entry
 * (and the state's for that id), which lets live-view.ts recompute one conversation alone (entryOf).
 */
function applyOp(view: Map<string, LocalConversation>, state: PageState, op: PendingOp): void {
  const id = opTarget(op);
  // An undo shows its conversation again over the tombstone (confirmed) or the pending deletion before it.
  if (op.kind === 'restore') {
    if (op.chat !== undefined && !view.has(id)) view.set(id, { ...op.chat, pending: true });
    return;
  }
  // Deleted for good, unless an undo before this op brought it back.
  if (state.deleted.includes(id) && (op.kind === 'create' || !view.has(id))) return;
  if (op.kind === 'create') {
    // Already confirmed (its broadcast came before its ack): the server's copy wins.
    if (!(id in state.conversations)) view.set(id, optimisticChat(op));
  } else if (op.kind === 'update') {
    const chat = view.get(id);
    if (chat !== undefined) view.set(id, applyLocal(chat, op));
  } else {
    view.delete(id);
  }
}

/**
 * What the page's tabs show: confirmed conversations with the pending operations applied in order.
 * Made from scratch, walking the whole page: the reference the page's live view (live-view.ts) is
 * built from and checked against (test/unit/background/live-view.test.ts).
 */
export function viewOf(state: PageState, ops: readonly PendingOp[]): Map<string, LocalConversation> {
  const view = new Map<string, LocalConversation>();
  for (const chat of Object.values(state.conversations)) view.set(chat.id, confirmed(chat));
  for (const op of ops) applyOp(view, state, op);
  return view;
}

/** What viewOf(state, ops) holds for the conversation `id`, given the ops aimed at it (in order); undefined: not shown. */
export function entryOf(state: PageState, id: string, ops: readonly PendingOp[]): LocalConversation | undefined {
  const view = new Map<string, LocalConversation>();
  const chat = Object.hasOwn(state.conversations, id) ? state.conversations[id] : undefined;
  if (chat !== undefined) view.set(id, confirmed(chat));
  for (const op of ops) applyOp(view, state, op);
  return view.get(id);
}

/** Drops the operation with this broadcastId (answered, echoed back, or failed). */
export function settle(ops: readonly PendingOp[], broadcastId: string): { ops: PendingOp[]; op: PendingOp | null } {
  const index = ops.findIndex((op) => op.request.broadcastId === broadcastId);
  if (index === -1) return { ops: [...ops], op: null };
  return { ops: [...ops.slice(0, index), ...ops.slice(index + 1)], op: ops[index] ?? null };
}

export interface ViewDiff {
  upserts: LocalConversation[];
  /** The length of each upsert's JSON text (its fingerprint), in the order of `upserts`: what it weighs in a port message. */
  upsertChars: number[];
  removes: string[];
  /** The fingerprints of `after`, to diff the next view against. */
  shown: Map<string, string>;
}

/**
 * Each view conversation's fingerprint, made once per object (views never change one in place: see
 * confirmedCopies). A page's JSON made again for every push was most of the worker's time after
 * its cache writes in a burst at 5,000 conversations (docs/benchmarks.md, change 37).
 */
const prints = new WeakMap<LocalConversation, string>();

function fingerprint(chat: LocalConversation): string {
  let print = prints.get(chat);
  if (print === undefined) {
    print = JSON.stringify(chat);
    prints.set(chat, print);
  }
  return print;
}

/**
 * What to push to tabs that already show `shown`: only the conversations that changed. The
 * fingerprint is the JSON text, which is exact (a conversation changed back to what a tab shows is
 * not pushed again); it is made once per conversation object (fingerprint).
 */
export function diffView(shown: ReadonlyMap<string, string>, after: ReadonlyMap<string, LocalConversation>): ViewDiff {
  const diff = emptyDiff(new Map());
  for (const [id, chat] of after) {
    const print = fingerprint(chat);
    diff.shown.set(id, print);
    if (shown.get(id) !== print) upsert(diff, chat, print);
  }
  for (const id of shown.keys()) if (!after.has(id)) diff.removes.push(id);
  return diff;
}

/**
 * diffView when only the conversations `ids` may have changed since `shown` was made (the live
 * view's changed ids): it looks at those alone, and brings `shown` itself up to date, so a push
 * costs what changed rather than the page's size.
 */
export function diffIds(shown: Map<string, string>, after: ReadonlyMap<string, LocalConversation>, ids: Iterable<string>): ViewDiff {
  const diff = emptyDiff(shown);
  for (const id of ids) {
    const chat = after.get(id);
    if (chat === undefined) {
      if (shown.delete(id)) diff.removes.push(id);
      continue;
    }
    const print = fingerprint(chat);
    if (shown.get(id) === print) continue;
    shown.set(id, print);
    upsert(diff, chat, print);
  }
  return diff;
}

function emptyDiff(shown: Map<string, string>): ViewDiff {
  return { upserts: [], upsertChars: [], removes: [], shown };
}

function upsert(diff: ViewDiff, chat: LocalConversation, print: string): void {
  diff.upserts.push(chat);
  diff.upsertChars.push(print.length);
}
