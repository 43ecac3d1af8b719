// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestController } from './controller-harness.js';
import { ALICE, BOB, conversation } from './fixtures.js';

let controller: AbortController;
const startUrl = location.href;

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, '', '/article-a');
  document.body.innerHTML = '<p>alpha beta gamma</p>';
});

afterEach(() => {
  controller.abort();
  document.getSelection()?.removeAllRanges();
  document.body.innerHTML = '';
  history.replaceState(null, '', startUrl);
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function start() {
  const started = startTestController();
  controller = started.controller;
  return started;
}

/** Selects `word` in the page the way a reader does, and lets the controller see the selection. */
async function select(word: string) {
  const text = document.querySelector('p')!.firstChild as Text;
  const at = text.data.indexOf(word);
  const range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + word.length);
  const sel = document.getSelection()!;
  sel.removeAllRanges();
  sel.addRange(range);
  document.dispatchEvent(new Event('selectionchange'));
  await vi.advanceTimersByTimeAsync(150);
}

describe('controller across same-document navigations', () => {
  it('sends a create made on one page over a port opened after the tab moved to another tagged with the page it was made on', async () => {
    const { ports, view } = start();
    await vi.advanceTimersByTimeAsync(0);
    ports[0]!.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    await select('beta');
    expect(view.state?.affordance).not.toBeNull();

    // The worker stops; meanwhile the reader annotates "beta" on article A...
    ports[0]!.drop();
    view.actions!.openComposer();
    expect(view.actions!.submitComposer('about beta')).toBeNull();
    // ...and the single-page app then moves the tab to article B.
    history.pushState(null, '', '/article-b');
    await vi.advanceTimersByTimeAsync(5_000);

    expect(ports.length).toBeGreaterThan(1);
    // The background files a message under its port's page unless it names, in madeOn, a page that
    // tab's ports were opened on (background/tab-history.ts): the create must go out, under A.
    const sent = ports.flatMap((port) =>
      port.sent.map((m) => ({ type: (m as { type: string }).type, port: new URL(port.senderUrl).pathname, madeOn: (m as { madeOn?: string }).madeOn })),
    );
    const creates = sent.filter((m) => m.type === 'create');
    expect(creates.length).toBeGreaterThan(0);
    for (const c of creates) {
      const filedUnder = c.madeOn === undefined ? c.port : new URL(c.madeOn).pathname;
      expect(filedUnder).toBe('/article-a');
    }
    expect(creates.some((c) => c.port === '/article-b'), 'sent again over the port of B, tagged').toBe(true);
  });

  it('sends a comment made right after the app moved on over a port of the new page, before any check ran', async () => {
    const { ports, view } = start();
    await vi.advanceTimersByTimeAsync(0);
    ports[0]!.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    await select('beta');
    view.actions!.openComposer();
    // pushState fires no event a content script hears (jsdom has no Navigation API), and the poll has not run.
    history.pushState(null, '', '/article-b');
    expect(view.actions!.submitComposer('about beta, on B')).toBeNull();

    const creates = ports.map((port) => ({ page: new URL(port.senderUrl).pathname, creates: port.sent.filter((m) => (m as { type: string }).type === 'create').length }));
    expect(creates).toEqual([
      { page: '/article-a', creates: 0 },
      { page: '/article-b', creates: 1 },
    ]);
  });

  it('does not keep the previous page\'s viewers after the tab moved to another page', async () => {
    const { ports, view } = start();
    await vi.advanceTimersByTimeAsync(0);
    ports[0]!.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    ports[0]!.deliver({ type: 'presence', viewers: 3, users: [ALICE, BOB] });
    await vi.advanceTimersByTimeAsync(0);
    expect(view.state?.viewers).toBe(3);

    history.pushState(null, '', '/article-b');
    await vi.advanceTimersByTimeAsync(1_000);

    expect(ports).toHaveLength(2);
    // Nothing is known yet about who reads article B (the new port has not heard from the background).
    expect(view.state?.viewers).toBe(0);
    expect(view.state?.users).toEqual([]);
  });
});

describe('controller on a page that keeps changing', () => {
  it('anchors text that arrives later even while another part of the page changes every 100 ms', async () => {
    document.body.innerHTML = '<p>alpha beta gamma</p><span id="clock">0</span>';
    const { ports, view } = start();
    await vi.advanceTimersByTimeAsync(0);
    const late = conversation({ target: { selector: [{ type: 'TextQuoteSelector', exact: 'lazy words' }] } });
    ports[0]!.deliver({ type: 'snapshot', pageKey: 'k', conversations: [late] });
    await vi.advanceTimersByTimeAsync(0);
    expect(view.state?.orphaned.map((c) => c.id)).toEqual([late.id]);

    // A live clock (a ticker, a video's time, a feed) and, meanwhile, the annotated text loads.
    const clock = document.getElementById('clock')!;
    let tick = 0;
    const ticking = setInterval(() => (clock.textContent = String(++tick)), 100);
    const p = document.createElement('p');
    p.textContent = 'some lazy words here';
    document.body.appendChild(p);
    await vi.advanceTimersByTimeAsync(3_000);
    clearInterval(ticking);

    expect(view.state?.anchored.map((c) => c.id), 'the highlight waits for the clock to stop').toEqual([late.id]);
    expect(document.documentElement.dataset.glossHighlights).toBe('1');
  });
});

describe('controller and clicks on the page', () => {
  /** A click with no text selected: what the page's own buttons and links get all day. */
  async function clickNothing() {
    window.dispatchEvent(new Event('pointerdown'));
    window.dispatchEvent(new Event('pointerup'));
    document.dispatchEvent(new Event('selectionchange'));
    await vi.advanceTimersByTimeAsync(150);
  }

  it('runs no pass for a click that leaves the selection empty, and one when a click clears a selection', async () => {
    let renders = 0;
    const started = startTestController(() => {
      renders++;
    });
    controller = started.controller;
    await vi.advanceTimersByTimeAsync(150);
    const settled = renders;
    expect(settled).toBeGreaterThan(0);

    await clickNothing();
    await clickNothing();
    expect(renders).toBe(settled);

    await select('beta');
    expect(started.view.state?.affordance).toBeTruthy();
    const selected = renders;
    expect(selected).toBeGreaterThan(settled);
    document.getSelection()!.removeAllRanges();
    await clickNothing();
    expect(renders).toBeGreaterThan(selected);
    expect(started.view.state?.affordance ?? null).toBeNull();
  });
});

/**
 * Half of an emoji (a lone surrogate) is no character: the server refuses a comment holding one
 * (protocol/well-formed.ts), since it could not store it as sent. The tab says so to the writer at
 * once, instead of sending what the worker would drop and the server refuse.
 */
describe('half of an emoji in a comment', () => {
  const creates = (ports: { sent: unknown[] }[]) => ports.flatMap((p) => p.sent).filter((m) => (m as { type: string }).type === 'create');

  async function live() {
    const started = start();
    await vi.advanceTimersByTimeAsync(0);
    started.ports[0]!.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    return started;
  }

  it('is refused with a message that says so, and nothing is sent', async () => {
    const { ports, view } = await live();
    await select('beta');
    view.actions!.openComposer();
    expect(view.actions!.submitComposer('nice \ud83d')).toMatch(/broken character/);
    expect(creates(ports)).toEqual([]);
    expect(view.actions!.submitComposer('nice \ud83d\ude00')).toBeNull();
    expect(creates(ports)).toHaveLength(1);
  });
});
