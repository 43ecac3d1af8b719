import { describe, expect, it } from 'vitest';
import { recallSelf, rememberSelf } from '../../../extension/background/known-self.js';
import { alice } from './fixtures.js';

function memory(initial?: unknown) {
  let value = initial;
  return { read: async () => value, write: async (next: unknown) => void (value = next) };
}

describe('known-self: who the user was in the current settings, until the server says', () => {
  it('recalls the last session of the same scope', async () => {
    const store = memory();
    await rememberSelf(store, 'scope-a', { user: alice, role: 'moderator' });
    expect(await recallSelf(store, 'scope-a')).toEqual({ user: alice, role: 'moderator' });
  });

  it('recalls no role from a record kept before roles were (a member\'s panel until the server says)', async () => {
    expect(await recallSelf(memory({ scope: 'scope-a', user: alice }), 'scope-a')).toEqual({ user: alice, role: null });
  });

  it('recalls nobody for another scope (another server, tenant or user), nor from an unreadable value', async () => {
    const store = memory();
    await rememberSelf(store, 'scope-a', { user: alice, role: 'moderator' });
    expect(await recallSelf(store, 'scope-b')).toBeNull();
    expect(await recallSelf(memory(), 'scope-a')).toBeNull();
    expect(await recallSelf(memory({ scope: 'scope-a', user: { id: '' } }), 'scope-a')).toBeNull();
    expect(await recallSelf({ read: () => Promise.reject(new Error('closed')), write: async () => {} }, 'scope-a')).toBeNull();
  });
});
