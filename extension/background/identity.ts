import browser from 'webextension-polyfill';
import * as v from 'valibot';
import { Uuid } from '../../protocol/model.js';

export const ANONYMOUS_ID_KEY = 'anonymousId';

let pending: Promise<string> | null = null;

/**
 * The browser's anonymous identity, generated once and kept in storage: the same person stays the
 * same user across worker restarts and browser sessions until they set a token.
 */
export function anonymousId(): Promise<string> {
  pending ??= (async () => {
    const stored: unknown = (await browser.storage.local.get(ANONYMOUS_ID_KEY))[ANONYMOUS_ID_KEY];
    if (v.is(Uuid, stored)) return stored;
    const id = crypto.randomUUID();
    await browser.storage.local.set({ [ANONYMOUS_ID_KEY]: id });
    return id;
  })();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}
