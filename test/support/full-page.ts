import type { Identity } from '../../server/auth/identity.js';
import { LIMITS } from '../../protocol/limits.js';
import { normalizePageUrl } from '../../protocol/url.js';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { typicalChat } from './clients.js';

/** Creates conversations by `who` on `url` until its page is one short of LIMITS.conversationsPerPage, in one group; true when all were stored. */
export function fillPageButOne(store: SqliteStore, who: Identity, url: string): boolean {
  const key = normalizePageUrl(url);
  const creates = Array.from({ length: LIMITS.conversationsPerPage - 1 }, () => () => {
    const chat = typicalChat(url);
    return store.create(who, key, { broadcastId: chat.id, chat }, Date.now());
  });
  return store.runGroup(creates).every((o) => o.ok);
}
