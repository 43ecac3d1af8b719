import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Conversation } from '../../protocol/model.js';
import type { LocalConversation } from '../../protocol/runtime.js';
import { normalizePageUrl } from '../../protocol/url.js';
import { portOrigin } from '../../extension/background/messages.js';
import { tabState } from '../../extension/background/popup.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startAckDroppingProxy } from '../support/ack-dropping-proxy.js';
import { connect, request, typicalChat } from '../support/clients.js';
import { seeded } from '../support/seeded.js';
import { startWorker, TestTab, WorkerStorage } from '../support/worker.js';

/**
 * The randomized convergence run of worker.test.ts, widened to what a user's week brings: browsers
 * offline for a while with changes made meanwhile, tabs closed with changes not sent yet, two tabs
 * of the page in one browser (one under a URL that differs by fragment and tracking parameters),
 * and the server killed and restarted on its file, sometimes with its change log pruned past what
 * the workers had. At the end every worker, and every tab, shows what the database holds.
 */

const ENV = { GLOSS_BATCH_BUSY_PER_SECOND: '5', GLOSS_RATE_PER_SECOND: '1000', GLOSS_RATE_BURST: '1000' };
let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: ENV });
});
afterAll(async () => server.stop());

/** The server restarted on the same file and port; with `prune`, its change log and tombstones gone first (retention). */
async function restartServer(prune: boolean): Promise<void> {
  const { dbPath, port } = server;
  server.kill('SIGKILL');
  await server.exited;
  if (prune) {
    const store = new SqliteStore(dbPath);
    store.prune(Date.now() + 1);
    store.close();
  }
  server = await startServerProcess({ env: ENV, dbPath, port });
}

/** What a tab shows, rebuilt from what the worker posted to it; `inFlight` last messages not read yet. */
function shown(tab: TestTab, inFlight = 0): Map<string, LocalConversation> {
  const view = new Map<string, LocalConversation>();
  for (const m of tab.messages.slice(0, tab.messages.length - inFlight)) {
    if (m.type === 'snapshot') {
      view.clear();
      for (const c of m.conversations) view.set(c.id, c);
    } else if (m.type === 'upsert') view.set(m.conversation.id, m.conversation);
    else if (m.type === 'remove') view.delete(m.id);
  }
  return view;
}

function comparable(list: Iterable<Conversation | LocalConversation>) {
  const out: Record<string, { revision: number; resolved: boolean; comments: [string, string][]; pending: boolean }> = {};
  for (const c of list) out[c.id] = { revision: c.revision, resolved: c.resolved, comments: c.comments.map((m) => [m.id, m.text]), pending: 'pending' in c && c.pending === true };
  return out;
}

/** Who made each revision of a conversation above 1, from the server's change log (what is left of it). */
function revisionAuthors(pageKey: string, id: string): Map<number, string> {
  const db = new Database(server.dbPath, { readonly: true });
  try {
    const rows = db.prepare("SELECT change FROM changes WHERE page_key = ? AND json_extract(change, '$.id') = ? AND json_extract(change, '$.type') = 'updated-text-chat'").all(pageKey, id) as { change: string }[];
    return new Map(rows.map((r) => JSON.parse(r.change) as { revision: number; by: { id: string } }).map((c) => [c.revision, c.by.id]));
  } finally {
    db.close();
  }
}

async function serverState(url: string): Promise<{ seq: number; conversations: Conversation[] }> {
  const client = await connect(server.url, { name: 'Reader' });
  try {
    return (await request(client.socket, 'page:join', { url })) as { seq: number; conversations: Conversation[] };
  } finally {
    client.socket.close();
  }
}

it('random operations from workers going offline, closing tabs, with two tabs of the page each, across server restarts and a pruned log, converge: every worker and every tab equals the database', async () => {
  const seed = Number(process.env.GLOSS_SEED ?? 20261203);
  const rng = seeded(seed);
  const base = `https://example.com/offline-${seed}-${randomUUID()}`;
  // The second tab's address differs only by what the page key drops; the worker sees both as the port's sender.
  const addresses = [base, `${base}?utm_source=newsletter&fbclid=x#section-2`];
  const pageKey = normalizePageUrl(base);
  const origin = (tabId: number, url: string) => portOrigin({ id: 'gloss', url, tab: { id: tabId }, frameId: 0 }, 'gloss', url)!;
  const names = ['Ann', 'Ben', 'Cem'];
  const slots = await Promise.all(
    names.map(async (name, i) => {
      const proxy = await startAckDroppingProxy(server.port);
      const storage = new WorkerStorage();
      const identity = { anonymousId: randomUUID(), name };
      const w = startWorker(proxy.url, storage, identity);
      const tabs = addresses.map((_, t) => new TestTab(10 * (i + 1) + t));
      for (const [t, tab] of tabs.entries()) {
        const o = origin(tab.tabId, addresses[t]!);
        await w.hub.attach(tab, o.pageKey, o.url);
      }
      return { name, proxy, storage, identity, w, tabs, offline: false, closed: false, nextTab: 100 * (i + 1) };
    }),
  );
  const settings = (s: (typeof slots)[number]) => ({ serverUrl: s.proxy.url, name: s.name });
  const openTabs = async (s: (typeof slots)[number]) => {
    s.tabs = addresses.map(() => new TestTab(s.nextTab++));
    for (const [t, tab] of s.tabs.entries()) {
      const o = origin(tab.tabId, addresses[t]!);
      void s.w.hub.attach(tab, o.pageKey, o.url);
    }
  };
  const log: string[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let restarts = 0;
  const edits = new Map<string, { id: string; base: number; user: string }>();
  try {
    for (const s of slots) for (const tab of s.tabs) await tab.until(() => tab.connection === 'live', `${s.name} live`);
    const steps = Number(process.env.GLOSS_STEPS ?? 160);
    for (let step = 0; step < steps; step++) {
      const s = slots[rng.int(slots.length)]!;
      const roll = rng.next();
      const tab = rng.pick(s.tabs)!;
      const view = s.w.hub.pages.get(pageKey)?.view() ?? new Map<string, LocalConversation>();
      const me = s.w.hub.self?.id;
      const chats = [...view.values()];
      const chat = rng.pick(chats);
      if (roll < 0.04) {
        if (s.offline) continue;
        log.push(`${step} ${s.name} offline`);
        s.offline = true;
        s.w.connection.stop();
      } else if (roll < 0.1 && s.offline) {
        log.push(`${step} ${s.name} online`);
        s.offline = false;
        s.w.connection.start(settings(s), s.identity.anonymousId);
      } else if (roll < 0.12) {
        if (s.closed) continue;
        log.push(`${step} ${s.name} close-tabs`);
        for (const t of s.tabs) s.w.hub.detach(t);
        s.closed = true;
      } else if (roll < 0.15 && s.closed) {
        log.push(`${step} ${s.name} reopen-tabs`);
        s.closed = false;
        await openTabs(s);
      } else if (roll < 0.17) {
        log.push(`${step} ${s.name} restart-worker`);
        s.w.stop();
        s.w = startWorker(s.proxy.url, s.storage, s.identity);
        // A browser without network: the new worker cannot reach the server either (until `online`).
        if (s.offline) s.w.stop();
        if (!s.closed) await openTabs(s);
      } else if (roll < 0.19) {
        if (restarts >= 3) continue;
        restarts++;
        const prune = restarts === 2;
        log.push(`${step} restart-server${prune ? ' pruned' : ''}`);
        await restartServer(prune);
      } else if (roll < 0.22) {
        log.push(`${step} ${s.name} drop-next-ack`);
        s.proxy.dropNextAcks(1);
      } else if (s.closed) {
        continue;
      } else if (roll < 0.4 || chat === undefined) {
        const { url: _u, ...created } = typicalChat(base);
        log.push(`${step} ${s.name} create ${created.id.slice(0, 8)}`);
        s.w.hub.operation(tab, { type: 'create', broadcastId: created.id, chat: created });
      } else if (roll < 0.58) {
        log.push(`${step} ${s.name} reply ${chat.id.slice(0, 8)}`);
        s.w.hub.operation(tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: randomUUID(), text: `r${step}` } } });
      } else if (roll < 0.72) {
        const comment = rng.pick(chat.comments.filter((c) => c.author.id === me));
        if (comment === undefined) continue;
        // The revision the tab shows, which can be a message or two behind the worker's (a port is a queue).
        const base = shown(tab, rng.int(3)).get(chat.id)?.revision ?? chat.revision;
        log.push(`${step} ${s.name} edit ${chat.id.slice(0, 8)}@${base}`);
        const broadcastId = randomUUID();
        edits.set(broadcastId, { id: chat.id, base, user: me! });
        s.w.hub.operation(tab, { type: 'update', broadcastId, id: chat.id, baseRevision: base, changes: { editComment: { id: comment.id, text: `e${step}` } } });
      } else if (roll < 0.84) {
        log.push(`${step} ${s.name} resolve ${chat.id.slice(0, 8)}`);
        s.w.hub.operation(tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { resolved: !chat.resolved } });
      } else if (roll < 0.91) {
        const comment = rng.pick(chat.comments.filter((c) => c.author.id === me && c.id !== chat.id));
        if (comment === undefined) continue;
        log.push(`${step} ${s.name} delete-comment ${chat.id.slice(0, 8)}`);
        s.w.hub.operation(tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { deleteComment: { id: comment.id } } });
      } else {
        const own = rng.pick(chats.filter((c) => c.author.id === me));
        if (own === undefined) continue;
        log.push(`${step} ${s.name} delete ${own.id.slice(0, 8)}`);
        s.w.hub.operation(tab, { type: 'delete', broadcastId: randomUUID(), id: own.id });
      }
      await sleep(rng.int(15));
    }
    // Everyone back online, nothing armed. Tabs closed stay closed until their outbox is sent: a
    // change made on a page closed since goes out without a tab.
    for (const s of slots) {
      s.proxy.dropNextAcks(0);
      if (s.offline) {
        s.offline = false;
        s.w.connection.start(settings(s), s.identity.anonymousId);
      }
    }
    for (const s of slots) {
      const deadline = Date.now() + 40_000;
      while (s.storage.outbox.size > 0 && Date.now() < deadline) await sleep(50);
      expect({ worker: s.name, outbox: s.storage.outbox.size }).toEqual({ worker: s.name, outbox: 0 });
    }
    for (const s of slots) {
      if (s.closed) {
        s.closed = false;
        await openTabs(s);
      }
      for (const tab of s.tabs) await tab.until(() => tab.connection === 'live', `${s.name}'s tabs to be live`, 20_000);
    }
    const truth = await serverState(base);
    const refused = slots.map((s) => `${s.name}: ${[...new Set(s.tabs.flatMap((t) => t.messages.flatMap((m) => (m.type === 'op-failed' ? [m.error.code] : []))))].join(',')}`);
    if (process.env.GLOSS_VERBOSE) console.log(`seed ${seed}: seq ${truth.seq}, ${truth.conversations.length} live, ${restarts} server restarts, refused ${refused.join(' / ')}`);
    const expected = comparable(truth.conversations);
    for (const s of slots) {
      const p = () => s.w.hub.pages.get(pageKey);
      await s.tabs[0]!.until(() => p()?.state.seq === truth.seq, `${s.name} to reach seq ${truth.seq} (at ${p()?.state.seq})`, 10_000).catch(() => {});
      expect({ worker: s.name, seq: p()?.state.seq }).toEqual({ worker: s.name, seq: truth.seq });
      expect(comparable(Object.values(p()!.state.conversations))).toEqual(expected);
      expect(comparable(p()!.view().values())).toEqual(expected);
      for (const tab of s.tabs) {
        expect({ tab: tab.tabId, shows: comparable(shown(tab).values()) }).toEqual({ tab: tab.tabId, shows: expected });
        expect(tabState(s.w.hub, tab.tabId).conversations).toBe(truth.conversations.length);
      }
    }
    expect(truth.conversations.length).toBeGreaterThan(0);
    // A conflict is only right when someone else changed the conversation after the edit's base.
    const refusedEdits = slots.flatMap((s) => s.tabs.flatMap((t) => t.messages.flatMap((m) => (m.type === 'op-failed' && m.error.code === 'conflict' ? [m.broadcastId] : []))));
    for (const broadcastId of new Set(refusedEdits)) {
      const edit = edits.get(broadcastId);
      if (edit === undefined) continue;
      const authors = revisionAuthors(pageKey, edit.id);
      const after = [...authors.entries()].filter(([revision]) => revision > edit.base);
      // A pruned log cannot tell: only a complete record of the revisions after the base is judged.
      const complete = after.length > 0 && after.every(([revision]) => authors.has(revision - 1) || revision - 1 === edit.base);
      if (complete) expect({ edit: broadcastId, othersChangedIt: after.some(([, by]) => by !== edit.user) }).toEqual({ edit: broadcastId, othersChangedIt: true });
    }
  } catch (err) {
    console.error(`offline convergence failed with GLOSS_SEED=${seed}; last steps:\n${log.slice(-50).join('\n')}`);
    throw err;
  } finally {
    for (const s of slots) {
      s.w.stop();
      await s.proxy.close();
    }
  }
}, 180_000);
