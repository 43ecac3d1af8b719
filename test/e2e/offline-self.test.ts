import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tryNormalizePageUrl } from '../../protocol/url.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { byTestId, conversationCss, createConversation, openPanel, waitInUi } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';
import { dbPage, editFirstComment, RECOVER_MS, waitForConnection, waitNothingPending } from './support/faults-ui.js';

/**
 * The browser's background is stopped while the server cannot be reached (Chrome and Firefox stop
 * an idle background; offline nothing keeps it awake), and the tab starts a fresh one. With no
 * answer from the server, the fresh worker still knows who the user is: their own conversation
 * keeps its edit button, and the edit made offline goes out once the server is back.
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

it('offline, a fresh service worker still knows the user: their own comment can be edited, and the edit arrives once the server is back', async () => {
  const url = pages!.url('article.html', `offline-self-${randomUUID()}`);
  const tab = await openArticle(ann!, url);
  await waitForConnection(tab, /^live$/);
  const id = await createConversation(tab, '#p-definition', 'previously developed', 'Written online.');
  await waitNothingPending(tab);

  // The server becomes unreachable, then the browser stops the background; the reloaded tab starts a new one.
  const { port, dbPath } = server!;
  await server!.stop();
  await waitForConnection(tab, /^(reconnecting|offline)$/);
  const before = await ann!.worker();
  await before.evaluate(() => {
    (globalThis as { __e2eMark?: boolean }).__e2eMark = true;
  });
  await before.close();
  await tab.reload();
  await waitFor(
    'a fresh service worker',
    async () => (await ann!.worker()).evaluate(() => (globalThis as { __e2eMark?: boolean }).__e2eMark !== true),
    60_000,
  );
  await openPanel(tab);
  await waitInUi(tab, 'the cached conversation', (root, css: string) => !!root.querySelector(css), conversationCss(id));
  await waitForConnection(tab, /^(reconnecting|offline|connecting)$/);

  // Her own comment is still hers: the edit button is there, and the edit shows at once, pending.
  await waitInUi(tab, 'the edit button of her own comment', (root, css: string) => !!root.querySelector(css), `${conversationCss(id)} [data-testid="comment"][data-id="${id}"] ${byTestId('edit-comment')}`, 10_000);
  await editFirstComment(tab, id, 'Edited offline.');

  server = await startServerProcess({ dbPath, port });
  await waitForConnection(tab, /^live$/, RECOVER_MS);
  await waitNothingPending(tab);
  const pageKey = tryNormalizePageUrl(url)!;
  const truth = await waitFor('the edit in the database', () => {
    const db = dbPage(dbPath, pageKey);
    return db.seq >= 2 ? db : null;
  }, RECOVER_MS);
  expect(truth.live).toEqual([{ id, revision: 2 }]);
});
