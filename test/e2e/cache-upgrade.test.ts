import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { tryNormalizePageUrl } from '../../protocol/url.js';
import { startServerProcess } from '../support/server-process.js';
import { openArticle } from './support/gloss-browser.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { createConversation } from './support/gloss-ui.js';
import { useGlossSession, type GlossSession } from './support/session.js';
import { waitFor } from './support/wait.js';
import { createUnconfirmed, dbPage, outboxSize, RECOVER_MS, shown, waitForConnection, waitForShown, workerPage } from './support/faults-ui.js';

/**
 * A profile written by the version before the per-conversation cache (database `gloss` at version
 * 2: a `pages` row holding all of a page's conversations, and the outbox) meets this version's
 * upgrade to 3 (extension/background/db.ts) in Chromium's own IndexedDB. The cached page row is
 * dropped, not trusted: the page is joined afresh and shows the server's conversations, not the
 * row's; the outbox is kept, and its op reaches the server; the page is cached again in bucket rows
 * (a row per non-empty bucket of its conversations).
 */

/** The session's server is replaced by the one started again, which the session then stops. */
let session: GlossSession;
let ann: ChromiumWithGloss;
useGlossSession([{ kind: 'chromium', label: 'ann', name: 'Ann' }], (s) => {
  session = s;
  ann = s.browsers[0] as ChromiumWithGloss;
});

/** A conversation on the article that the server never had. */
function ghostConversation(id: string, text: string) {
  const author = { id: 'someone', name: 'Ghost' };
  return {
    id,
    target: { selector: [{ type: 'TextQuoteSelector', exact: 'previously developed' }] },
    author,
    createdAt: 1,
    revision: 1,
    resolved: false,
    comments: [{ id, author, text, createdAt: 1 }],
  };
}

it('an update from a version 2 profile drops its cached page rows, keeps its outbox, and caches the page again in buckets', async () => {
  const url = session.pages.url('article.html', `cache-upgrade-${randomUUID()}`);
  const pageKey = tryNormalizePageUrl(url)!;
  const tab = await openArticle(ann, url);
  await waitForConnection(tab, /^live$/);
  const real = await createConversation(tab, '#p-definition', 'previously developed', 'On the server.');

  // Offline, an op waits in the outbox.
  const { port, dbPath } = session.server;
  await session.server.stop();
  await waitForConnection(tab, /^(reconnecting|offline)$/);
  const offline = await createUnconfirmed(tab, '#p-selection', 'coverage data is accurate', 'Made offline, before the update.');
  const worker = await ann.worker();
  await waitFor('the op in the outbox', async () => (await outboxSize(worker)) === 1, 10_000);

  // The profile as version 2 left it: its outbox, and a cached row for the page at the server's seq
  // whose only conversation the server never had. Trusted, it would stand for the page.
  const ghost = randomUUID();
  const chat = ghostConversation(ghost, 'Only in the old cache.');
  await worker.evaluate(
    async (pageKey: string, chat: unknown) => {
      const request = <T>(r: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(new Error(String(r.error)));
        });
      const current = await request(indexedDB.open('gloss'));
      const outbox: unknown[] = await request(current.transaction('outbox').objectStore('outbox').getAll());
      current.close();
      // The worker's own connection lets go when asked (open-db.ts `blocking`).
      await request(indexedDB.deleteDatabase('gloss'));
      const opening = indexedDB.open('gloss', 2);
      opening.onupgradeneeded = () => {
        opening.result.createObjectStore('pages', { keyPath: 'pageKey' });
        opening.result.createObjectStore('outbox', { keyPath: 'broadcastId' });
      };
      const old = await request(opening);
      const tx = old.transaction(['pages', 'outbox'], 'readwrite');
      tx.objectStore('pages').put({ pageKey, seq: 1, conversations: [chat], deleted: [], savedAt: Date.now() });
      for (const row of outbox) tx.objectStore('outbox').put(row);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(new Error(String(tx.error)));
      });
      old.close();
    },
    pageKey,
    chat,
  );
  // The update: a new worker opens the profile.
  await worker.close();

  session.server = await startServerProcess({ dbPath, port });
  await waitForConnection(tab, /^live$/, RECOVER_MS);
  const both = [
    { id: real, revision: 1 },
    { id: offline, revision: 1 },
  ].sort((a, b) => a.id.localeCompare(b.id));
  await waitForShown(tab, both);
  expect((await shown(tab)).map((c) => c.id)).not.toContain(ghost);
  expect(dbPage(dbPath, pageKey).live.map((c) => c.id).sort()).toEqual([real, offline].sort());

  const fresh = await ann.worker();
  const stores = await fresh.evaluate(
    () =>
      new Promise<{ version: number; names: string[] }>((resolve, reject) => {
        const open = indexedDB.open('gloss');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const { version, objectStoreNames } = open.result;
          open.result.close();
          resolve({ version, names: [...objectStoreNames] });
        };
      }),
  );
  expect(stores).toEqual({ version: 3, names: ['conversations', 'outbox', 'pages'] });
  await waitFor('an empty outbox', async () => (await outboxSize(fresh)) === 0, RECOVER_MS);
  const cached = await waitFor(
    'the page cached again',
    async () => {
      const page = await workerPage(fresh, pageKey);
      return page?.seq === 2 ? page : null;
    },
    RECOVER_MS,
  );
  expect(cached).toEqual({ seq: 2, conversations: both, deleted: [] });
});

it('a profile of the interim version 3 layout (a row per conversation) is not misread: its rows are dropped, the page joined afresh and cached again in buckets', async () => {
  const url = session.pages.url('article.html', `cache-interim-${randomUUID()}`);
  const pageKey = tryNormalizePageUrl(url)!;
  const tab = await openArticle(ann, url);
  await waitForConnection(tab, /^live$/);
  const real = await createConversation(tab, '#p-definition', 'previously developed', 'On the server.');
  const worker = await ann.worker();
  await waitFor('the page cached', async () => (await workerPage(worker, pageKey))?.seq === 1, RECOVER_MS);

  // What the interim layout left: the page row at the server's seq, and a conversation row (keyed by
  // the conversation's id) the server never had. Read as trusted, it would stand for the page.
  const ghost = randomUUID();
  const chat = ghostConversation(ghost, 'Only in the interim cache.');
  /** The second part of the keys of the page's rows in `conversations`: a bucket's number, or an interim row's conversation id. */
  const keys = (pageKey: string) =>
    new Promise<unknown[]>((resolve, reject) => {
      const open = indexedDB.open('gloss');
      open.onerror = () => reject(new Error(String(open.error)));
      open.onsuccess = () => {
        const read = open.result.transaction('conversations').objectStore('conversations').getAllKeys(IDBKeyRange.bound([pageKey], [pageKey, []]));
        read.onsuccess = () => {
          open.result.close();
          resolve((read.result as unknown[][]).map((key) => key[1]));
        };
        read.onerror = () => reject(new Error(String(read.error)));
      };
    });
  await worker.evaluate(
    (pageKey: string, chat: { id: string }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('gloss');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const tx = open.result.transaction('conversations', 'readwrite');
          tx.objectStore('conversations').clear();
          tx.objectStore('conversations').put({ pageKey, id: chat.id, conversation: chat });
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(new Error(String(tx.error)));
        };
      }),
    pageKey,
    chat,
  );
  expect(await worker.evaluate(keys, pageKey)).toEqual([ghost]);
  await worker.close();

  // The new worker reads the page, drops the row it cannot read and no longer trusts the seq: the
  // page's snapshot is written whole, its rows cleared first.
  const fresh = await ann.worker();
  await waitFor('the interim row replaced by bucket rows', async () => {
    const stored = await fresh.evaluate(keys, pageKey);
    return stored.length > 0 && stored.every((key) => typeof key === 'number');
  }, RECOVER_MS);
  await waitForShown(tab, [{ id: real, revision: 1 }]);
  expect((await shown(tab)).map((c) => c.id)).not.toContain(ghost);
  expect(await workerPage(fresh, pageKey)).toEqual({ seq: 1, conversations: [{ id: real, revision: 1 }], deleted: [] });
});
