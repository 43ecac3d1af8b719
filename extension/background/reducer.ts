import { conversationOf } from '../../protocol/events.js';
import type { Conversation } from '../../protocol/model.js';
import type { ServerChange } from './server-schemas.js';

/**
 * The server-confirmed state of one page and the pure functions that move it forward. Every change
 * carries the page's `seq`: a change is applied only when it is exactly the next one, older ones are
 * ignored (already applied), and a jump means something was missed, so the caller asks `page:sync`.
 */
export interface PageState {
  pageKey: string;
  /** The last seq applied; null when nothing trustworthy is known yet (ask for a full snapshot). */
  seq: number | null;
  conversations: Readonly<Record<string, Conversation>>;
  /**
   * Deleted conversation ids: "gone" does not come back from a stale ack, a pending op or a create
   * replayed again. Only a restore does (`new-text-chat` with `restored`, applied in seq order, so
   * after the deletion), or a snapshot at least as new as the state that lists it.
   */
  deleted: readonly string[];
}

/** Tombstones kept per page; older ones only guard against very late events, which seq already stops. */
export const MAX_TOMBSTONES = 1_000;

export function emptyPage(pageKey: string): PageState {
  return { pageKey, seq: null, conversations: {}, deleted: [] };
}

export type Step =
  | { status: 'applied'; state: PageState }
  | { status: 'stale' }
  /** `full` when the state cannot be repaired by replaying from its seq (it refers to unknown data). */
  | { status: 'gap'; full: boolean };

function withoutKey<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

function tombstone(deleted: readonly string[], id: string): string[] {
  if (deleted.includes(id)) return [...deleted];
  const next = [...deleted, id];
  return next.length > MAX_TOMBSTONES ? next.slice(next.length - MAX_TOMBSTONES) : next;
}

/**
 * Applies one delta to a conversation. Every update is exactly one revision, so a delta at or below
 * the conversation's revision is already in it (it came with a newer copy): skipping it keeps an old
 * `resolved: false` from undoing a newer `resolved: true`.
 */
export function applyDelta(chat: Conversation, change: Extract<ServerChange, { type: 'updated-text-chat' }>): Conversation {
  if (change.revision <= chat.revision) return chat;
  let comments = chat.comments;
  let resolved = chat.resolved;
  if ('addComment' in change) {
    const added = change.addComment;
    comments = comments.some((c) => c.id === added.id) ? comments.map((c) => (c.id === added.id ? added : c)) : [...comments, added];
  } else if ('editComment' in change) {
    const { id, text, editedAt } = change.editComment;
    comments = comments.map((c) => (c.id === id ? { ...c, text, editedAt } : c));
  } else if ('deleteComment' in change) {
    const { id } = change.deleteComment;
    comments = comments.filter((c) => c.id !== id);
  } else {
    resolved = change.resolved;
  }
  return { ...chat, comments, resolved, revision: change.revision };
}

/**
 * A deleted conversation back (an undo, `text-chat:restore`): its tombstone goes, it is shown again.
 * Only ever reached in seq order (a change or our own restore's answer, each exactly the next seq),
 * so it is newer than the deletion it undoes; a create of that id is still refused.
 */
function restored(state: PageState, chat: Conversation): PageState {
  return { ...state, conversations: { ...state.conversations, [chat.id]: chat }, deleted: state.deleted.filter((id) => id !== chat.id) };
}

/** What a change does to the conversations, without the seq bookkeeping (shared with acks). */
function effect(state: PageState, change: ServerChange): PageState | 'missing' {
  switch (change.type) {
    case 'new-text-chat':
      if (change.chat.restored) return restored(state, conversationOf(change));
      if (state.deleted.includes(change.id)) return state;
      return { ...state, conversations: { ...state.conversations, [change.id]: conversationOf(change) } };
    case 'updated-text-chat': {
      if (state.deleted.includes(change.id)) return state;
      const chat = state.conversations[change.id];
      if (chat === undefined) return 'missing';
      return { ...state, conversations: { ...state.conversations, [change.id]: applyDelta(chat, change) } };
    }
    case 'deleted-text-chat':
      return { ...state, conversations: withoutKey(state.conversations, change.id), deleted: tombstone(state.deleted, change.id) };
  }
}

export function applyChange(state: PageState, change: ServerChange): Step {
  if (state.seq === null) return { status: 'gap', full: true };
  if (change.seq <= state.seq) return { status: 'stale' };
  if (change.seq !== state.seq + 1) return { status: 'gap', full: false };
  const next = effect(state, change);
  if (next === 'missing') return { status: 'gap', full: true };
  return { status: 'applied', state: { ...next, seq: change.seq } };
}

export interface Applied {
  state: PageState;
  /** Whether anything was applied (the conversations or the seq moved). */
  changed: boolean;
  /** Set when a change could not be applied in order: ask the server from `state.seq` (or afresh if full). */
  gap: null | { full: boolean };
}

/** Applies changes in seq order (a batch frame, a sync answer), stopping at the first gap. */
export function applyChanges(state: PageState, changes: readonly ServerChange[]): Applied {
  let current = state;
  let changed = false;
  const ordered = [...changes].sort((a, b) => a.seq - b.seq);
  for (const change of ordered) {
    const step = applyChange(current, change);
    if (step.status === 'stale') continue;
    if (step.status === 'gap') return { state: current, changed, gap: { full: step.full } };
    current = step.state;
    changed = true;
  }
  return { state: current, changed, gap: null };
}

/**
 * A full snapshot replaces the conversations. The tombstones stay and hide what a snapshot not
 * newer than the state still lists (one at the state's own seq cannot list a conversation deleted
 * by then, unless it is stale). One newer than the state is the server's word on what is live: a
 * conversation it lists was restored since its deletion, and its tombstone goes. With no seq known,
 * the tombstones win, as they did before restores.
 */
export function applySnapshot(state: PageState, seq: number, conversations: readonly Conversation[]): PageState {
  const record: Record<string, Conversation> = {};
  const newer = state.seq !== null && seq > state.seq;
  let deleted = state.deleted;
  for (const chat of conversations) {
    if (!deleted.includes(chat.id)) record[chat.id] = chat;
    else if (newer) {
      record[chat.id] = chat;
      deleted = deleted.filter((id) => id !== chat.id);
    }
  }
  return { pageKey: state.pageKey, seq, conversations: record, deleted };
}

/**
 * The answer to our own operation that made a change: it carries that change's seq, so it is applied
 * like a broadcast (and is stale if the broadcast got here first). Callers go through `foldAnswer`.
 */
export function applyAck(state: PageState, seq: number, result: AnswerResult): Step {
  if (state.seq === null) return { status: 'gap', full: true };
  if (seq <= state.seq) return { status: 'stale' };
  if (seq !== state.seq + 1) return { status: 'gap', full: false };
  if ('remove' in result) {
    return {
      status: 'applied',
      state: { ...state, seq, conversations: withoutKey(state.conversations, result.remove), deleted: tombstone(state.deleted, result.remove) },
    };
  }
  if ('restore' in result) return { status: 'applied', state: { ...restored(state, result.restore), seq } };
  if (state.deleted.includes(result.upsert.id)) return { status: 'applied', state: { ...state, seq } };
  return { status: 'applied', state: { ...state, seq, conversations: { ...state.conversations, [result.upsert.id]: result.upsert } } };
}

/** What our own operation did: a conversation shown (created or updated), restored, or removed. */
export type AnswerResult = { upsert: Conversation } | { restore: Conversation } | { remove: string };

/** The one conversation an answer changes (foldAnswer touches no other). */
export function answerTarget(result: AnswerResult): string {
  return 'upsert' in result ? result.upsert.id : 'restore' in result ? result.restore.id : result.remove;
}

/** The answer to our own operation: what it did, and the seq the server gave it. */
export interface OwnAnswer {
  /** The seq of the change the operation made; when it made none, the page's seq at that moment. */
  seq: number;
  /** It changed nothing (a retry of an operation already applied, or a no-op): `seq` is somebody else's change. */
  unchanged: boolean;
  result: AnswerResult;
}

/**
 * Folds the answer to our own operation into the state (the background and the tests' replica both
 * use this). An answer that changed nothing carries the page's seq, the seq of the last change,
 * which somebody else made: taken as this operation's own it would move the state past that change
 * without applying it, for good (the convergence test caught it on 2026-12-02). Such an answer, like
 * one that arrives ahead of changes not yet seen, only shows its conversation (the newer revision
 * wins) and asks for the changes in between when the page is ahead.
 */
export function foldAnswer(state: PageState, answer: OwnAnswer): { state: PageState; gap: null | { full: boolean } } {
  const { result } = answer;
  const shown = () => ('upsert' in result ? applyNewer(state, result.upsert) : 'restore' in result ? applyNewer(state, result.restore) : applyGone(state, result.remove));
  if (answer.unchanged) {
    if (state.seq === null) return { state: shown(), gap: { full: true } };
    return { state: shown(), gap: answer.seq > state.seq ? { full: false } : null };
  }
  const step = applyAck(state, answer.seq, result);
  if (step.status === 'applied') return { state: step.state, gap: null };
  if (step.status === 'stale') return { state, gap: null };
  return { state: shown(), gap: { full: step.full } };
}

/**
 * A conversation the server sent outside the seq order (the `current` of a conflict): newer than
 * ours by revision, so it is taken; the seq does not move, and the replayed deltas are idempotent.
 */
export function applyNewer(state: PageState, chat: Conversation): PageState {
  const mine = state.conversations[chat.id];
  if (state.deleted.includes(chat.id) || (mine !== undefined && mine.revision >= chat.revision)) return state;
  return { ...state, conversations: { ...state.conversations, [chat.id]: chat } };
}

/** A conversation the server says is gone (a `gone` error, or an out-of-order delete ack). Final. */
export function applyGone(state: PageState, id: string): PageState {
  return { ...state, conversations: withoutKey(state.conversations, id), deleted: tombstone(state.deleted, id) };
}
