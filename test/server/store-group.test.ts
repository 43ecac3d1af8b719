import { expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import { typicalChat } from '../support/clients.js';
import { useTempStore } from '../support/temp-store.js';

/**
 * runGroup, the store side of group commit: one optimistic pass with no savepoints, and when
 * anything in it throws, a second pass with a savepoint per operation. Whatever path a group takes,
 * a failed operation leaves nothing and the others stand with gap-free seqs.
 */
const temp = useTempStore('gloss-group-');

const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;
const PAGE = 'example.com/group';
const create = (now: number) => {
  const chat = typicalChat(`https://${PAGE}`);
  return { chat, op: () => temp.store().create(who, PAGE, { broadcastId: chat.id, chat }, now) };
};
const ids = () => temp.store().snapshot('public', PAGE).conversations.map((c) => c.id);

it('a group where nothing fails: every operation stored, consecutive seqs, in order', () => {
  const ops = [create(1), create(2), create(3)];
  const outcomes = temp.store().runGroup(ops.map((o) => o.op));
  expect(outcomes.map((o) => o.ok && (o.value as { seq: number }).seq)).toEqual([1, 2, 3]);
  expect(ids()).toEqual(ops.map((o) => o.chat.id));
});

it('an operation that wrote and then threw is undone alone; the others keep gap-free seqs', () => {
  const [a, b, c] = [create(1), create(2), create(3)];
  const outcomes = temp.store().runGroup([
    a!.op,
    () => {
      b!.op();
      throw new Error('failed after writing');
    },
    c!.op,
  ]);
  expect(outcomes[0]).toMatchObject({ ok: true, value: { seq: 1 } });
  expect(outcomes[1]).toMatchObject({ ok: false, error: { message: 'failed after writing' } });
  expect(outcomes[2]).toMatchObject({ ok: true, value: { seq: 2 } });
  expect(ids()).toEqual([a!.chat.id, c!.chat.id]);
  expect(temp.store().changesSince('public', PAGE, 0)).toMatchObject({ seq: 2, changes: [{ seq: 1, id: a!.chat.id }, { seq: 2, id: c!.chat.id }] });
});

it('a refused operation (a protocol error) is answered with its error and changes nothing', () => {
  const a = create(1);
  const outcomes = temp.store().runGroup([a.op, () => temp.store().update(who, { broadcastId: crypto.randomUUID(), id: crypto.randomUUID(), changes: { resolved: true } }, 2), a.op]);
  expect(outcomes[0]).toMatchObject({ ok: true, value: { seq: 1 } });
  expect(outcomes[1]).toMatchObject({ ok: false, error: { code: 'not_found' } });
  // The same create again is a retry: answered with what is stored, no second seq.
  expect(outcomes[2]).toMatchObject({ ok: true, value: { seq: 1 } });
  expect(temp.store().changesSince('public', PAGE, 0)).toMatchObject({ seq: 1 });
});
