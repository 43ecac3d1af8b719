import { randomUUID } from 'node:crypto';
import type { WebWorker } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tryNormalizePageUrl } from '../../protocol/url.js';
import { DB_VERSION } from '../../extension/background/db.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { createConversation } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';
import { createUnconfirmed, dbPage, RECOVER_MS, waitForConnection, waitNothingPending } from './support/faults-ui.js';

/**
 * The browser closes the worker's IndexedDB connection on its own when the extension's site data is
 * cleared (or under storage pressure). The worker must open it again on its next use: before, every
 * later outbox write failed until the worker restarted, so a change made offline lived in memory
 * only and was lost with the worker.
 */

let server: ServerProcess | undefined;
let pages: StaticServer | undefined;
let ann: ChromiumWithGloss | undefined;
printLogsOnFailure(() => [ann]);

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  ann = (await glossBrowser('chromium', 'ann', { serverUrl: server.url, name: 'Ann' })) as ChromiumWithGloss;
});

afterAll(async () => {
  await closeAll(ann, pages);
  await server?.stop();
});

/**
 * Rows in the worker's outbox, or 0 while the database does not exist: opening it here would
 * create an empty version 1 in the worker's place and spoil its upgrade.
 */
async function outboxRows(worker: WebWorker): Promise<number> {
  return worker.evaluate(async (version: number) => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'gloss' && d.version === version)) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('gloss');
      open.onerror = () => reject(new Error(String(open.error)));
      open.onsuccess = () => {
        const db = open.result;
        const count = db.transaction('outbox').objectStore('outbox').count();
        count.onsuccess = () => {
          db.close();
          resolve(count.result);
        };
        count.onerror = () => reject(new Error(String(count.error)));
      };
    });
  }, DB_VERSION);
}

it('after the browser clears the extension’s IndexedDB, a change made offline is still kept in the outbox and reaches the server', async () => {
  const url = pages!.url('article.html', `idb-cleared-${randomUUID()}`);
  const tab = await openArticle(ann!, url);
  await waitForConnection(tab, /^live$/);
  await createConversation(tab, '#p-definition', 'previously developed', 'Before the clearing.');
  await waitNothingPending(tab);
  const worker = await ann!.worker();
  await worker.evaluate(() => {
    (globalThis as { __e2eMark?: boolean }).__e2eMark = true;
  });

  // What "Clear site data" does: the browser force-closes the worker's open connection.
  const cdp = await tab.createCDPSession();
  await cdp.send('Storage.clearDataForOrigin', { origin: ann!.extensionOrigin, storageTypes: 'indexeddb' });
  await cdp.detach();

  const { port, dbPath } = server!;
  await server!.stop();
  await waitForConnection(tab, /^(reconnecting|offline)$/);
  const id = await createUnconfirmed(tab, '#p-definition', 'developed', 'After the clearing, offline.');
  await waitFor('the offline change in the worker’s outbox', async () => (await outboxRows(worker)) === 1, 10_000);

  server = await startServerProcess({ dbPath, port });
  await waitForConnection(tab, /^live$/, RECOVER_MS);
  await waitNothingPending(tab);
  const truth = dbPage(dbPath, tryNormalizePageUrl(url)!);
  expect(truth.live.map((c) => c.id)).toContain(id);
  await waitFor('the outbox emptied', async () => (await outboxRows(worker)) === 0, 10_000);
  // The same worker all along: nothing was repaired by a restart.
  expect(await (await ann!.worker()).evaluate(() => (globalThis as { __e2eMark?: boolean }).__e2eMark)).toBe(true);
});
