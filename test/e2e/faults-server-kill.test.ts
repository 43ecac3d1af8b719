import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
  RECOVER_MS,
  reply,
  shown,
  toggleResolved,
  waitForComments,
  waitForConnection,
  waitForShown,
  waitNothingPending,
  workerPage,
} from './support/faults-ui.js';

/**
 * Fault test 1 of issue 4: the server is killed and restarted while two browsers keep working.
 *
 * Injects: the server process is SIGKILLed (no shutdown, no goodbye to the sockets) while two
 * Chromium browsers (two users) have the same page open; during the outage both make changes
 * (create, reply, edit, resolve, a create-then-delete); then the server starts again on the same
 * port and SQLite file. There are changes online before and after the outage too.
 * Checks: both tabs say "reconnecting"/"offline" during the outage and the changes show as pending;
 * after the restart everything arrives, and each tab's set of (id, revision) — read from the
 * panel's data-id/data-revision, nothing pending — equals the database's live conversations, no
 * deleted conversation is shown, and each browser's persisted state (IndexedDB: seq, (id, revision)
 * and tombstones) equals the database's (seq, live rows, deleted ids).
 */

let server: ServerProcess | undefined;
let pages: StaticServer | undefined;
let ann: ChromiumWithGloss | undefined;
let ben: ChromiumWithGloss | undefined;
printLogsOnFailure(() => [ann, ben]);

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  [ann, ben] = (await Promise.all([
    glossBrowser('chromium', 'ann', { serverUrl: server.url, name: 'Ann' }),
    glossBrowser('chromium', 'ben', { serverUrl: server.url, name: 'Ben' }),
  ])) as [ChromiumWithGloss, ChromiumWithGloss];
});

afterAll(async () => {
  await closeAll(ann, ben, pages);
  await server?.stop();
});

it('a server SIGKILLed and restarted while two browsers keep working: every change arrives and both equal the database', async () => {
  const url = pages!.url('article.html', `kill-${randomUUID()}`);
  const pageKey = tryNormalizePageUrl(url)!;
  const a = await openArticle(ann!, url);
  const b = await openArticle(ben!, url);
  for (const t of [a, b]) {
    await waitForConnection(t, /^live$/);
    await openPanel(t);
  }

  // Online before: Ann starts a conversation, Ben replies.
  const c1 = await createConversation(a, '#p-definition', 'previously developed', 'Before the crash.');
  await waitForComments(b, c1, 1);
  await reply(b, c1, 'Ben, online before.');
  await waitForComments(a, c1, 2);
  await waitNothingPending(b);

  // The server crashes.
  const { port, dbPath } = server!;
  server!.kill('SIGKILL');
  await server!.exited;
  for (const t of [a, b]) await waitForConnection(t, /^(reconnecting|offline)$/);

  // Both keep working during the outage.
  const c2 = await createUnconfirmed(a, '#p-selection', 'coverage data is accurate', 'Ann, written offline.');
  await editFirstComment(a, c2, 'Ann, written offline and edited.');
  await toggleResolved(a, c1);
  await reply(b, c1, 'Ben, written offline.');
  const c3 = await createUnconfirmed(b, '#p-practice', 'smoke suite', 'Ben, written offline.');
  const c4 = await createUnconfirmed(b, '#p-closing', 'flaky test', 'Ben, deleted while offline.');
  await deleteConversation(b, c4);
  // Still offline: what each made is pending on its side.
  expect(await waitForConnection(a, /^(reconnecting|offline)$/)).toMatch(/reconnecting|offline/);
  expect((await shown(a)).filter((c) => c.pending).map((c) => c.id).sort()).toEqual([c1, c2].sort());
  expect((await shown(b)).filter((c) => c.pending).map((c) => c.id).sort()).toEqual([c1, c3].sort());

  // The server is back on the same port and data; both reconnect, resync and send their outboxes.
  server = await startServerProcess({ dbPath, port });
  for (const t of [a, b]) await waitForConnection(t, /^live$/, RECOVER_MS);
  for (const t of [a, b]) await waitNothingPending(t);

  // Online after: Ben replies to Ann's offline conversation, Ann deletes her first one.
  await waitForComments(b, c2, 1);
  await reply(b, c2, 'Ben, online after.');
  await deleteConversation(a, c1);
  for (const t of [a, b]) await waitNothingPending(t);

  // Everything arrived: the database has what both did, once.
  const truth = await waitFor('all changes in the database', () => {
    const db = dbPage(dbPath, pageKey);
    return db.seq >= 11 ? db : null;
  }, RECOVER_MS);
  // 2 before; 3 by Ann and 4 by Ben during the outage; 2 after: each exactly once.
  expect(truth.seq).toBe(11);
  expect(truth.changes).toBe(11);
  expect(truth.deleted).toEqual([c1, c4].sort());
  expect(truth.live).toEqual([{ id: c2, revision: 3 }, { id: c3, revision: 1 }].sort((x, y) => x.id.localeCompare(y.id)));
  expect(truth.comments).toEqual({ [c2]: 2, [c3]: 1 });

  // Each tab equals the database: the same (id, revision), nothing pending, nothing deleted shown.
  for (const t of [a, b]) {
    await waitForShown(t, truth.live);
    const view = await shown(t);
    expect(view.map((c) => ({ id: c.id, revision: c.revision }))).toEqual(truth.live);
    expect(Object.fromEntries(view.map((c) => [c.id, c.comments]))).toEqual(truth.comments);
  }
  // And each worker's persisted state: seq, (id, revision) and the tombstones.
  for (const g of [ann!, ben!]) {
    const worker = await g.worker();
    const persisted = await waitFor(`${g.log.label}'s cache at seq ${truth.seq}`, async () => {
      const p = await workerPage(worker, pageKey);
      return p && p.seq === truth.seq ? p : null;
    });
    expect(persisted.conversations).toEqual(truth.live);
    expect(persisted.deleted).toEqual(truth.deleted);
  }
});
