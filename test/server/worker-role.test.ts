import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { BackgroundToContent } from '../../protocol/runtime.js';
import { issueToken, startServerProcess } from '../support/server-process.js';
import { TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';
import { useServerWithWorkers } from '../support/worker-server.js';

/**
 * The user's role (the server's `session`) reaches the tabs with who they are (protocol/runtime.ts
 * `connection`): a moderator's panel offers Delete on anyone's items. It is kept with the user
 * (known-self.ts) through a worker restart, and goes with a switch of account.
 */

const { server, worker } = useServerWithWorkers();

type ConnectionMessage = Extract<BackgroundToContent, { type: 'connection' }>;
const connections = (tab: TestTab) => tab.messages.filter((m): m is ConnectionMessage => m.type === 'connection');
const last = (tab: TestTab) => connections(tab).at(-1);

async function openTab(w: TestWorker, url: string) {
  const tab = new TestTab(1);
  await w.hub.attach(tab, url.replace('https://', ''), url);
  return tab;
}

it("a moderator's tab is told the role, a member's its own; a switch to the member's account drops the moderator's at once", async () => {
  const url = `https://example.com/role-${randomUUID()}`;
  const mia = await issueToken(server(), { tenant: 'acme', user: `mia-${randomUUID()}`, name: 'Mia', role: 'moderator' });
  const bob = await issueToken(server(), { tenant: 'acme', user: `bob-${randomUUID()}`, name: 'Bob' });
  const storage = new WorkerStorage();
  const w = worker(server().url, storage, { anonymousId: randomUUID(), name: 'Anyone', token: mia });
  const tab = await openTab(w, url);
  await tab.until(() => last(tab)?.state === 'live' && last(tab)?.role != null, 'the session to reach the tab');
  expect(last(tab)).toMatchObject({ self: { name: 'Mia' }, role: 'moderator' });

  const before = connections(tab).length;
  await w.useSettings({ serverUrl: server().url, name: 'Anyone', token: bob });
  await tab.until(() => last(tab)?.state === 'live' && last(tab)?.self?.name === 'Bob', "the member's session to reach the tab");
  expect(last(tab)?.role).toBe('member');
  // Once the old account is let go (the tab told nobody, then Bob), it is never told the moderator's
  // role again: the recalled role is the new scope's (none), not the last one's. (The first
  // `connecting`, as the old socket stops, still names Mia: the switch has not started then.)
  const after = connections(tab).slice(before);
  const letGo = after.findIndex((m) => m.self?.name !== 'Mia');
  expect(letGo, JSON.stringify(after)).toBeGreaterThanOrEqual(0);
  expect(after.slice(letGo).filter((m) => m.role === 'moderator'), JSON.stringify(after)).toEqual([]);
}, 30_000);

it('after a worker restart with the server out of reach, the moderator is still told the role', async () => {
  const url = `https://example.com/role-offline-${randomUUID()}`;
  // A server of its own, stopped halfway: the others' stays up.
  const own = await startServerProcess();
  try {
    const mia = await issueToken(own, { tenant: 'acme', user: `mia-${randomUUID()}`, name: 'Mia', role: 'moderator' });
    const storage = new WorkerStorage();
    const identity = { anonymousId: randomUUID(), name: 'Anyone', token: mia };
    const first = worker(own.url, storage, identity);
    const tab = await openTab(first, url);
    await tab.until(() => last(tab)?.role === 'moderator', 'the session to reach the tab');
    first.stop();

    await own.stop();
    const second = worker(own.url, storage, identity);
    const again = await openTab(second, url);
    await again.until(() => last(again)?.self != null, 'the tab to be told who the user is', 5_000);
    expect(last(again)).toMatchObject({ self: { name: 'Mia' }, role: 'moderator' });
    expect(second.connection.state).not.toBe('live');
  } finally {
    await own.stop();
  }
}, 30_000);
