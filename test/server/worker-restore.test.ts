import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { BackgroundToContent } from '../../protocol/runtime.js';
import { conversationsOnServer, typicalChat } from '../support/clients.js';
import { startServerProcess } from '../support/server-process.js';
import { useServerWithWorkers } from '../support/worker-server.js';
import { startWorker, TestTab, WorkerStorage } from '../support/worker.js';

/**
 * Undo of a deletion through the background worker (the real Hub and socket) against the real
 * server: shown again at once in the deleting tab, live for another user's worker, replayed for a
 * worker that was stopped meanwhile, and a refusal told to the tab.
 */

// Batching on with a low threshold, so batch frames (which carry a worker's own changes back, echoes
// its broadcastId must settle) take part.
const env = { GLOSS_BATCH_BUSY_PER_SECOND: '5', GLOSS_RATE_PER_SECOND: '1000', GLOSS_RATE_BURST: '1000' };
const { server, worker } = useServerWithWorkers(env);

function page() {
  const url = `https://example.com/worker-restore-${randomUUID()}`;
  return { url, pageKey: url.replace('https://', '') };
}

const upserts = (tab: TestTab, id: string) => tab.messages.flatMap((m) => (m.type === 'upsert' && m.conversation.id === id ? [m.conversation] : []));
const removed = (tab: TestTab, id: string) => tab.messages.some((m) => m.type === 'remove' && m.id === id);
const failures = (tab: TestTab) => tab.messages.filter((m): m is Extract<BackgroundToContent, { type: 'op-failed' }> => m.type === 'op-failed');

/** Ann's worker and tab, Bob's, on one page with Ann's conversation and Bob's reply, each seen by both. */
async function thread(serverUrl: string, bobStorage = new WorkerStorage(), bobIdentity = { anonymousId: randomUUID(), name: 'Bob' }) {
  const { url, pageKey } = page();
  const ann = worker(serverUrl, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' });
  const annTab = new TestTab(1);
  await ann.hub.attach(annTab, pageKey, url);
  const bob = worker(serverUrl, bobStorage, bobIdentity);
  const bobTab = new TestTab(2);
  await bob.hub.attach(bobTab, pageKey, url);
  for (const tab of [annTab, bobTab]) await tab.until(() => tab.connection === 'live', 'the page to be live');
  const { url: _url, ...chat } = typicalChat(url);
  ann.hub.operation(annTab, { type: 'create', broadcastId: chat.id, chat });
  await bobTab.until(() => upserts(bobTab, chat.id).length > 0, 'Bob to see the conversation');
  bob.hub.operation(bobTab, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: randomUUID(), text: 'Bob replies' } } });
  const replied = () => ann.hub.pages.get(pageKey)?.state.conversations[chat.id]?.comments.length === 2;
  await annTab.until(replied, 'Ann to see the reply confirmed');
  await bobTab.until(() => bob.hub.pages.get(pageKey)?.ops.length === 0, "Bob's outbox to be empty");
  return { url, pageKey, id: chat.id, ann, annTab, bob, bobTab };
}

it("the deleting tab sees its undo at once with the replies, Bob's worker sees the conversation go and come back live; an undo of an id the page never saw deleted is not sent", async () => {
  const { pageKey, id, ann, annTab, bobTab } = await thread(server().url);
  const before = ann.hub.pages.get(pageKey)!.view().get(id)!;
  ann.hub.operation(annTab, { type: 'delete', broadcastId: randomUUID(), id });
  await bobTab.until(() => removed(bobTab, id), 'Bob to see it deleted');
  await annTab.until(() => ann.hub.pages.get(pageKey)!.ops.length === 0, 'the deletion confirmed');

  const shownBefore = upserts(annTab, id).length;
  const restore = randomUUID();
  ann.hub.operation(annTab, { type: 'restore', broadcastId: restore, id });
  // At once, before any answer: the conversation as it was, marked pending.
  expect(upserts(annTab, id).slice(shownBefore)[0]).toEqual({ ...before, pending: true });
  await annTab.until(() => upserts(annTab, id).at(-1)?.pending !== true && ann.hub.pages.get(pageKey)!.ops.length === 0, 'the restore confirmed');
  expect(upserts(annTab, id).at(-1)).toEqual({ ...before });
  await bobTab.until(() => upserts(bobTab, id).at(-1)?.comments.length === 2 && bobTab.messages.at(-1)?.type !== 'remove', 'Bob to see it back');
  expect(upserts(bobTab, id).at(-1)).toEqual({ ...before });
  expect(ann.hub.pages.get(pageKey)!.state.deleted).not.toContain(id);
  expect([...failures(annTab), ...failures(bobTab)]).toEqual([]);
  // Nothing left to reconcile: the server holds what both tabs show.
  expect(await conversationsOnServer(server().url, `https://${pageKey}`)).toEqual([before]);

  // An undo naming an id this page never saw deleted (another page's, say) is refused by the worker itself, unsent.
  const stranger = randomUUID();
  ann.hub.operation(annTab, { type: 'restore', broadcastId: randomUUID(), id: stranger });
  await annTab.until(() => failures(annTab).length > 0, 'the refusal');
  expect(failures(annTab)).toMatchObject([{ id: stranger, error: { code: 'not_found' } }]);
  expect(ann.hub.pages.get(pageKey)!.ops).toEqual([]);
});

it('a worker stopped during the deletion and its undo catches up from its cache and shows the conversation with its replies', async () => {
  const bobStorage = new WorkerStorage();
  const bobIdentity = { anonymousId: randomUUID(), name: 'Bob' };
  const { url, pageKey, id, ann, annTab, bob } = await thread(server().url, bobStorage, bobIdentity);
  const before = ann.hub.pages.get(pageKey)!.view().get(id)!;
  bob.stop();
  ann.hub.operation(annTab, { type: 'delete', broadcastId: randomUUID(), id });
  ann.hub.operation(annTab, { type: 'restore', broadcastId: randomUUID(), id });
  await annTab.until(() => ann.hub.pages.get(pageKey)!.ops.length === 0, 'both confirmed');

  const again = worker(server().url, bobStorage, bobIdentity);
  const tab = new TestTab(3);
  await again.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'Bob back live');
  const page = again.hub.pages.get(pageKey)!;
  expect(page.view().get(id)).toEqual(before);
  expect(page.state.deleted).not.toContain(id);
});

it('an undo the server refuses (its window passed) is told to the tab as op-failed gone, and the conversation stays deleted', async () => {
  const late = await startServerProcess({ env: { ...env, GLOSS_RESTORE_WINDOW_MS: '100' } });
  try {
    const { url, pageKey } = page();
    const ann = startWorker(late.url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' });
    try {
      const tab = new TestTab(1);
      await ann.hub.attach(tab, pageKey, url);
      await tab.until(() => tab.connection === 'live', 'the page to be live');
      const { url: _url, ...chat } = typicalChat(url);
      ann.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
      ann.hub.operation(tab, { type: 'delete', broadcastId: randomUUID(), id: chat.id });
      await tab.until(() => ann.hub.pages.get(pageKey)!.ops.length === 0, 'the create and deletion confirmed');
      // Not a timed assertion: only past the window's end, however long the wait turns out.
      await new Promise((r) => setTimeout(r, 300));
      const restore = randomUUID();
      ann.hub.operation(tab, { type: 'restore', broadcastId: restore, id: chat.id });
      await tab.until(() => failures(tab).length > 0, 'the refusal');
      expect(failures(tab)).toEqual([{ type: 'op-failed', broadcastId: restore, id: chat.id, error: { code: 'gone', message: expect.any(String) } }]);
      await tab.until(() => tab.messages.at(-1)?.type === 'remove', 'the optimistic copy taken back');
      expect(ann.hub.pages.get(pageKey)!.view().has(chat.id)).toBe(false);
      expect(await conversationsOnServer(late.url, url)).toEqual([]);
    } finally {
      ann.stop();
    }
  } finally {
    await late.stop();
  }
});
