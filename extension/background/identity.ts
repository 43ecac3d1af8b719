import * as v from 'valibot';
import { Uuid } from '../../protocol/model.js';
import { readPrivate, writePrivate } from '../shared/private-store.js';

export const ANONYMOUS_ID_KEY = 'anonymousId';

let pending: Promise<string> | null = null;

/**
 * The browser's anonymous identity, generated once and kept in the private store (it is the anonymous
 * user's credential): the same person stays the same user across worker restarts and browser
 * sessions until they set a token.
 */
export function anonymousId(): Promise<string> {
  pending ??= (async () => {
    const stored = await readPrivate(ANONYMOUS_ID_KEY);
    if (v.is(Uuid, stored)) return stored;
    const id = crypto.randomUUID();
    await writePrivate(ANONYMOUS_ID_KEY, id);
    return id;
  })();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}
