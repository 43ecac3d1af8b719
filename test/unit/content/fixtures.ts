import type { LocalConversation } from '../../../protocol/runtime.js';

export const ALICE = { id: 'user-alice', name: 'Alice' };
export const BOB = { id: 'user-bob', name: 'Bob' };

let n = 0;
/** A distinct valid UUID per call, so fixtures never collide. */
export function uuid(): string {
  n += 1;
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function conversation(overrides: Partial<LocalConversation> = {}): LocalConversation {
  const id = overrides.id ?? uuid();
  return {
    id,
    target: { selector: [{ type: 'TextQuoteSelector', exact: 'quoted words' }] },
    author: ALICE,
    createdAt: 1_700_000_000_000,
    revision: 1,
    resolved: false,
    comments: [{ id: uuid(), author: ALICE, text: 'first', createdAt: 1_700_000_000_000 }],
    ...overrides,
  };
}
