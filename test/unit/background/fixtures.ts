import type { Conversation } from '../../../protocol/model.js';
import type { ServerChange } from '../../../extension/background/server-schemas.js';

/** Deterministic UUIDs: uuid(1) = 00000000-0000-4000-8000-000000000001. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export const alice = { id: 'user-alice', name: 'Alice' };
export const bob = { id: 'user-bob', name: 'Bob' };

export const target = {
  selector: [
    { type: 'TextQuoteSelector' as const, exact: 'quoted words', prefix: 'before ', suffix: ' after' },
    { type: 'TextPositionSelector' as const, start: 10, end: 22 },
  ],
};

export function chat(id: string, text = 'first comment', overrides: Partial<Conversation> = {}): Conversation {
  return { id, target, author: alice, createdAt: 1_000, revision: 1, resolved: false, comments: [{ id, author: alice, text, createdAt: 1_000 }], ...overrides };
}

export function created(seq: number, id: string, text = 'first comment', broadcastId = uuid(1000 + seq)): ServerChange {
  return { type: 'new-text-chat', broadcastId, seq, id, chat: { target, text, author: alice, createdAt: 1_000 } };
}

export function resolvedChange(seq: number, id: string, revision: number, resolved: boolean, broadcastId = uuid(1000 + seq)): ServerChange {
  return { type: 'updated-text-chat', broadcastId, seq, id, revision, by: bob, resolved };
}

export function commentAdded(seq: number, id: string, revision: number, commentId: string, text: string): ServerChange {
  return { type: 'updated-text-chat', broadcastId: uuid(1000 + seq), seq, id, revision, by: bob, addComment: { id: commentId, author: bob, text, createdAt: 2_000 } };
}

export function deleted(seq: number, id: string, broadcastId = uuid(1000 + seq)): ServerChange {
  return { type: 'deleted-text-chat', broadcastId, seq, id };
}
