import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'puppeteer';
import { tryNormalizePageUrl } from '../../protocol/url.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { createConversation, openPanel } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';
import {
  createUnconfirmed,
  dbPage,
  deleteConversation,
  editFirstComment,
  outboxSize,
  RECOVER_MS,
  reply,
  shown,
  toggleResolved,
  waitForComments,
  waitForConnection,
  waitForShown,
  workerPage,
} from './support/faults-ui.js';

/**
 * Fault test 4 of issue 4: the service worker is stopped with 20 operations waiting in its outbox.
 *
 * Injects: the server is SIGKILLed; in three tabs of one browser the user makes 20 operations
 * (creates, replies, edits, resolves, a delete), which can only go to the outbox; then the service
 * worker is stopped (`worker.close()`), and the server is started again on the same port and file.
 * Checks: the tabs' ports reconnect, the restarted worker reads its outbox back and sends it; the
 * database then holds all 20 changes exactly once (the page's seq and change log grew by exactly
 * 20, each conversation has exactly the comments and revision the 20 operations make), and the
 * three tabs and the worker's IndexedDB show the same state, equal to the database's.
 */

let server: ServerProcess | undefined;
let pages: StaticServer | undefined;
let g: ChromiumWithGloss | undefined;
printLogsOnFailure(() => [g]);

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  g = (await glossBrowser('chromium', 'outbox', { serverUrl: server.url, name: 'Olga' })) as ChromiumWithGloss;
});

afterAll(async () => {
  await closeAll(g, pages);
  await server?.stop();
});

it('a worker stopped with 20 operations in its outbox commits each exactly once after restart, and 3 tabs agree', async () => {
  const url = pages!.url('article.html', `outbox-${randomUUID()}`);
  const pageKey = tryNormalizePageUrl(url)!;
  const tabs: Page[] = [];
  for (let i = 0; i < 3; i++) tabs.push(await openArticle(g!, url));
  const [t1, t2, t3] = tabs as [Page, Page, Page];
  for (const t of tabs) await waitForConnection(t, /^live$/);

  // Online: one confirmed conversation everyone sees.
  const c1 = await createConversation(t1, '#p-definition', 'previously developed', 'The starting point.');
  for (const t of tabs) {
    await openPanel(t);
    await waitForShown(t, [{ id: c1, revision: 1 }]);
  }
  const before = dbPage(server!.dbPath, pageKey);
  expect(before.seq).toBe(1);

  // The server dies: every tab must say so.
  const port = server!.port;
  const dbPath = server!.dbPath;
  server!.kill('SIGKILL');
  await server!.exited;
  for (const t of tabs) await waitForConnection(t, /^(reconnecting|offline)$/);

  // 20 operations while offline, spread over the three tabs; each tab waits to see what it acts on.
  const c2 = await createUnconfirmed(t1, '#p-selection', 'coverage data is accurate', 'Offline note two.'); // 1
  const c3 = await createUnconfirmed(t1, '#p-practice', 'smoke suite', 'Offline note three.'); // 2
  const c4 = await createUnconfirmed(t2, '#p-closing', 'flaky test', 'Offline note four, deleted later.'); // 3
  for (let i = 0; i < 3; i++) await reply(t1, c1, `t1 reply ${i}`); // 4-6
  for (let i = 0; i < 2; i++) await reply(t2, c1, `t2 reply ${i}`); // 7-8
  await waitForComments(t3, c2, 1);
  for (let i = 0; i < 3; i++) await reply(t3, c2, `t3 reply on two ${i}`); // 9-11
  await waitForComments(t3, c3, 1);
  for (let i = 0; i < 2; i++) await reply(t3, c3, `t3 reply on three ${i}`); // 12-13
  await editFirstComment(t1, c2, 'Offline note two, edited.'); // 14
  await waitForComments(t3, c1, 6);
  await editFirstComment(t3, c1, 'The starting point, edited offline.'); // 15
  await toggleResolved(t2, c1); // 16
  await toggleResolved(t1, c3); // 17
  await waitForComments(t2, c4, 1);
  await deleteConversation(t2, c4); // 18
  await reply(t1, c2, 't1 last reply on two'); // 19
  await reply(t3, c1, 't3 last reply on one'); // 20

  // All 20 wait in the persisted outbox, and every tab shows them as pending.
  let worker = await g!.worker();
  await waitFor('20 operations in the outbox', async () => (await outboxSize(worker)) === 20, 30_000);
  for (const t of tabs) {
    await waitForComments(t, c1, 7);
    expect((await shown(t)).filter((c) => c.pending).map((c) => c.id).sort()).toEqual([c1, c2, c3].sort());
  }

  // The worker is stopped; the tabs notice their port dropped. A mark in its global scope tells a
  // restarted worker from the same one.
  await worker.evaluate(() => Object.assign(globalThis, { glossFaultMark: true }));
  await worker.close();
  for (const t of tabs) await waitForConnection(t, /^(reconnecting|offline|connecting)$/);

  // The server comes back on the same port and data; the tabs reconnect their ports, which restarts the worker.
  server = await startServerProcess({ dbPath, port });
  for (const t of tabs) await waitForConnection(t, /^live$/, RECOVER_MS);

  // Each operation exactly once: 20 new changes, and the counts the operations make.
  const expectedRevisions = { [c1]: 1 + 6 + 1 + 1, [c2]: 1 + 4 + 1, [c3]: 1 + 2 + 1 };
  const truth = await waitFor(
    'the outbox to reach the database',
    () => {
      const db = dbPage(dbPath, pageKey);
      return db.seq >= 21 ? db : null;
    },
    RECOVER_MS,
  );
  worker = await g!.worker();
  expect(await worker.evaluate(() => 'glossFaultMark' in globalThis)).toBe(false);
  await waitFor('an empty outbox', async () => (await outboxSize(worker)) === 0, RECOVER_MS);
  const after = dbPage(dbPath, pageKey);
  expect(after.seq).toBe(21);
  expect(after.changes).toBe(21);
  expect(after.live).toEqual(Object.entries(expectedRevisions).map(([id, revision]) => ({ id, revision })).sort((a, b) => a.id.localeCompare(b.id)));
  expect(after.deleted).toEqual([c4]);
  expect(after.comments).toEqual({ [c1]: 7, [c2]: 5, [c3]: 3 });
  expect(after.resolved).toEqual({ [c1]: true, [c2]: false, [c3]: true });
  expect(truth.seq).toBe(21);

  // Three tabs, identical, equal to the database; and the worker's persisted state too.
  for (const t of tabs) await waitForShown(t, after.live);
  const views = await Promise.all(tabs.map(shown));
  expect(views[1]).toEqual(views[0]);
  expect(views[2]).toEqual(views[0]);
  expect(views[0]!.map((c) => ({ id: c.id, revision: c.revision }))).toEqual(after.live);
  expect(Object.fromEntries(views[0]!.map((c) => [c.id, c.comments]))).toEqual(after.comments);
  const persisted = await waitFor('the worker cache at the server seq', async () => {
    const p = await workerPage(worker, pageKey);
    return p && p.seq === 21 ? p : null;
  });
  expect(persisted.conversations).toEqual(after.live);
  expect(persisted.deleted).toEqual(after.deleted);
});
