import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueToken, startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { createUnconfirmed, outboxSize, shown, waitForConnection } from './support/faults-ui.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, waitForUiText } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { changePrivate } from './support/private-store.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';

/**
 * A switch of account that a freshly started worker is the first to see: the settings name another
 * tenant than the one the outbox was written for, so the new worker drops the op waiting there. The
 * tab that made it must be told when its port comes back, as it is told when the switch happens
 * with the worker running: its pending conversation goes, and it says why.
 */
let server: ServerProcess | undefined;
let pages: StaticServer | undefined;
let g: ChromiumWithGloss | undefined;
printLogsOnFailure(() => [g]);

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  g = (await glossBrowser('chromium', 'switch-at-restart', { serverUrl: server.url, name: 'Sam' })) as ChromiumWithGloss;
});

afterAll(async () => {
  await closeAll(g, pages);
  await server?.stop();
});

it('an op dropped by a restarted worker because the settings now name another account is reported to its tab when the port comes back', async () => {
  const token = await issueToken(server!, { tenant: 'acme', user: `sam-${randomUUID()}`, name: 'Sam' });
  const tab = await openArticle(g!, pages!.url('article.html', `switch-${randomUUID()}`));
  await waitForConnection(tab, /^live$/);

  // The server goes: the conversation can only wait in the outbox.
  server!.kill('SIGKILL');
  await server!.exited;
  await waitForConnection(tab, /^(reconnecting|offline)$/);
  const id = await createUnconfirmed(tab, '#p-definition', 'previously developed', 'Made as the anonymous user.');
  let worker = await g!.worker();
  await waitFor('the op in the outbox', async () => (await outboxSize(worker)) === 1, 30_000);
  expect((await shown(tab)).map((c) => [c.id, c.pending])).toEqual([[id, true]]);

  // A token of tenant acme lands in the stored settings without waking this worker (the settings
  // page's save would), then the worker is stopped: the next one starts with them.
  const settings = { serverUrl: server!.url, name: 'Sam', token };
  await changePrivate(worker, 'settings', settings);
  await worker.evaluate(() => Object.assign(globalThis, { glossSwitchMark: true }));
  await worker.close();

  // The tab's port brings up a new worker, which drops the anonymous user's op and says so.
  await waitFor(
    'a new worker',
    async () => {
      worker = await g!.worker();
      return worker.evaluate(() => !('glossSwitchMark' in globalThis));
    },
    60_000,
  );
  await waitForUiText(tab, byTestId('error'), /switched to another server or account/, 30_000);
  await waitFor('the pending conversation to go', async () => (await shown(tab)).length === 0, 30_000);
  expect(await outboxSize(worker)).toBe(0);
});
