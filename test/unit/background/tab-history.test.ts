import { randomUUID } from 'node:crypto';
import type { Runtime } from 'webextension-polyfill';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pagePortName, type BackgroundToContent, type ContentToBackground } from '../../../protocol/runtime.js';
import { acceptPagePort } from '../../../extension/background/ports.js';
import { shownPage, TAB_HISTORY, TabHistory, withVisit, type PageVisit } from '../../../extension/background/tab-history.js';
import { FakePort } from '../content/fake-port.js';
import { SessionStorage } from '../../support/session-area.js';
import { startWorker, WorkerStorage } from '../../support/worker.js';
import { target } from './fixtures.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const HOUR = TAB_HISTORY.leftWithinMs;
const visit = (pageKey: string, at: number): PageVisit => ({ pageKey, url: `https://${pageKey}`, at });

describe('shownPage: the rule a change made on another page is filed by', () => {
  const visits = [visit('example.com/a', 1_000), visit('example.com/b', 2_000), visit('example.com/c', 3_000)];

  it('takes a page the tab showed, left within the window, and the page it shows', () => {
    expect(shownPage(visits, 'example.com/a', 2_000 + HOUR)).toEqual(visits[0]);
    expect(shownPage(visits, 'example.com/b', 3_000 + HOUR)).toEqual(visits[1]);
    // The last one is shown still, however long ago its port opened.
    expect(shownPage(visits, 'example.com/c', 3_000 + 10 * HOUR)).toEqual(visits[2]);
  });

  it('refuses a page the tab never showed, and one it left longer ago than the window', () => {
    expect(shownPage(visits, 'example.com/d', 3_000)).toBeNull();
    expect(shownPage([], 'example.com/a', 0)).toBeNull();
    expect(shownPage(visits, 'example.com/a', 2_000 + HOUR + 1)).toBeNull();
  });

  it('keeps the latest pages, a page visited again once, at its latest visit', () => {
    let kept: PageVisit[] = [];
    for (let i = 0; i < 15; i++) kept = withVisit(kept, visit(`example.com/${i}`, i));
    expect(kept.map((v) => v.pageKey)).toEqual(Array.from({ length: TAB_HISTORY.pages }, (_, i) => `example.com/${i + 5}`));
    kept = withVisit(kept, visit('example.com/7', 99));
    expect(kept).toHaveLength(TAB_HISTORY.pages);
    expect(kept.at(-1)).toEqual(visit('example.com/7', 99));
    expect(kept.filter((v) => v.pageKey === 'example.com/7')).toHaveLength(1);
    expect(shownPage(kept, 'example.com/4', 99)).toBeNull();
  });
});

describe('TabHistory', () => {
  it('outlives the worker: the next one reads what the last one recorded, per tab', async () => {
    const area = new SessionStorage();
    const first = new TabHistory(area, () => 5_000);
    first.record(3, 'example.com/a', 'https://example.com/a');
    await first.written();

    const next = new TabHistory(area, () => 6_000);
    next.record(3, 'example.com/b', 'https://example.com/b');
    expect(await next.shown(3, 'example.com/a')).toEqual({ pageKey: 'example.com/a', url: 'https://example.com/a', at: 5_000 });
    expect(await next.shown(4, 'example.com/a'), 'another tab').toBeNull();
    expect(await next.shown(3, 'example.com/z')).toBeNull();
  });

  it('keeps the tabs whose ports opened last', async () => {
    const area = new SessionStorage();
    const history = new TabHistory(area);
    for (let tab = 0; tab <= TAB_HISTORY.tabs; tab++) history.record(tab, 'example.com/a', 'https://example.com/a');
    expect(await history.shown(0, 'example.com/a')).toBeNull();
    expect(await history.shown(1, 'example.com/a')).not.toBeNull();
    await history.written();
    expect(Object.keys(area.items.get('tabPages') as object)).toHaveLength(TAB_HISTORY.tabs);
  });

  it('forgets a closed tab, in the record the next worker reads too', async () => {
    const area = new SessionStorage();
    const history = new TabHistory(area);
    history.record(3, 'example.com/a', 'https://example.com/a');
    history.record(4, 'example.com/b', 'https://example.com/b');
    history.forget(3);
    history.forget(99);
    expect(await history.shown(3, 'example.com/a')).toBeNull();
    expect(await history.shown(4, 'example.com/b')).not.toBeNull();
    await history.written();
    expect(Object.keys(area.items.get('tabPages') as object)).toEqual(['4']);
    expect(await new TabHistory(area).shown(3, 'example.com/a'), 'the next worker').toBeNull();
  });

  it('starts over, with a warning, from a record it cannot read', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const area = new SessionStorage();
    await area.set({ tabPages: { 3: [{ pageKey: 'example.com/a', url: 'https://example.com/a' }] } });
    const history = new TabHistory(area);
    expect(await history.shown(3, 'example.com/a')).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('unreadable'));
  });

  it('takes no visit whose address is not the one the worker sends for its page: a change is never sent to one page filed under another', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const area = new SessionStorage();
    const good = { pageKey: 'example.com/b', url: 'https://example.com/b', at: 1 };
    for (const url of ['https://example.com/elsewhere', 'https://user:pw@example.com/a', 'https://example.com/a#token=x', 'not a url']) {
      await area.set({ tabPages: { 3: [{ pageKey: 'example.com/a', url, at: 1 }, good] } });
      const history = new TabHistory(area, () => 2);
      expect(await history.shown(3, 'example.com/a'), url).toBeNull();
    }
  });
});

/**
 * The rule at the worker's door: the real Hub of an idle worker (no socket) and the real port
 * handling; the browser's port and `storage.session` are what is stood in for.
 */
describe('a change made on a page the tab has left', () => {
  const RUNTIME = 'gloss-extension-id';
  const ORIGIN = 'https://example.com';

  function tabPort(tabId: number, address: string, loadedAt = address): FakePort & Runtime.Port {
    // The sender keeps the address the document was loaded with (a single-page app moves with pushState).
    const sender = { id: RUNTIME, url: loadedAt, frameId: 0, tab: { id: tabId } as Runtime.MessageSender['tab'] };
    return Object.assign(new FakePort(), { name: pagePortName(address), sender }) as unknown as FakePort & Runtime.Port;
  }

  function create(madeOn?: string): Extract<ContentToBackground, { type: 'create' }> {
    const id = randomUUID();
    return { type: 'create', broadcastId: id, chat: { id, target, text: 'typed before the move' }, ...(madeOn ? { madeOn } : {}) };
  }

  /** What the worker answered on the port about `broadcastId`, once it did. */
  async function answer(port: FakePort, broadcastId: string): Promise<BackgroundToContent> {
    const find = () => posted(port).find((m) => 'broadcastId' in m && m.broadcastId === broadcastId);
    await vi.waitFor(() => expect(find()).toBeDefined());
    return find()!;
  }

  /** What the worker posted to the tab. */
  function posted(port: FakePort): BackgroundToContent[] {
    return port.sent as BackgroundToContent[];
  }

  it('is filed under that page when the tab\'s ports were opened on it, also by an earlier worker; refused for any other page', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const storage = new WorkerStorage();
    const session = new SessionStorage();
    const path = `/app-${randomUUID()}`;
    const [pageA, pageB, never] = [`${ORIGIN}${path}/a`, `${ORIGIN}${path}/b`, `${ORIGIN}${path}/never`];
    const identity = { anonymousId: randomUUID(), name: 'Ann' };

    // A worker accepts the tab's port on page A, then is stopped (the browser's idle stop).
    const first = startWorker('http://127.0.0.1:9', storage, identity, { idle: true });
    const firstLife = new AbortController();
    const firstHistory = new TabHistory(session);
    acceptPagePort(tabPort(3, pageA), first.hub, firstHistory, RUNTIME, () => {}, () => {}, firstLife.signal);
    await firstHistory.written();
    firstLife.abort();
    first.stop();

    // The next worker hears the tab again from page B (pushState meanwhile), with what was made on A.
    const next = startWorker('http://127.0.0.1:9', storage, identity, { idle: true });
    const life = new AbortController();
    try {
      const history = new TabHistory(session);
      const onB = tabPort(3, pageB, pageA);
      acceptPagePort(onB, next.hub, history, RUNTIME, () => {}, () => {}, life.signal);

      const made = create(pageA);
      onB.deliver(made);
      expect(await answer(onB, made.broadcastId)).toEqual({ type: 'received', broadcastId: made.broadcastId });
      const stored = storage.outbox.get(made.broadcastId) as { op: { pageKey: string; url: string; request: { chat: { url: string } } } };
      expect(stored.op.pageKey).toBe(`example.com${path}/a`);
      expect(stored.op.request.chat.url).toBe(pageA);
      // The tab shows page B: it is shown nothing of A.
      expect(posted(onB).filter((m) => m.type === 'upsert' || m.type === 'changes').flatMap((m) => (m.type === 'upsert' ? [m.conversation.id] : m.type === 'changes' ? m.upserts.map((c) => c.id) : []))).not.toContain(made.chat.id);

      // A page this tab never showed, one of another origin, and A claimed by another tab: refused.
      const otherTab = tabPort(4, pageB);
      acceptPagePort(otherTab, next.hub, history, RUNTIME, () => {}, () => {}, life.signal);
      const refusals: [FakePort, ContentToBackground][] = [
        [onB, create(never)],
        [onB, create(`https://evil.example${path}/a`)],
        [otherTab, create(pageA)],
        [onB, { type: 'delete', broadcastId: randomUUID(), id: randomUUID(), madeOn: 'not a url' }],
      ];
      for (const [port, message] of refusals) {
        port.deliver(message);
        const refused = await answer(port, message.broadcastId);
        expect(refused).toMatchObject({ type: 'op-failed', broadcastId: message.broadcastId, error: { code: 'page_not_shown' } });
        expect(storage.outbox.has(message.broadcastId)).toBe(false);
      }
      // Nothing of the pages in the log.
      for (const call of warn.mock.calls) expect(String(call[0])).not.toContain('example');
      // Only A is kept for its op; nothing was opened for the refused ones.
      expect([...next.hub.pages.keys()].sort()).toEqual([`example.com${path}/a`, `example.com${path}/b`]);
    } finally {
      life.abort();
      next.stop();
    }
  });
});
