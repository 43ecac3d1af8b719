import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Page } from 'puppeteer';
import { io, type Socket } from 'socket.io-client';
import { uuidv7 } from '../../protocol/ids.js';
import type { Selector } from '../../protocol/model.js';
import type { ChromiumWithGloss } from '../../test/e2e/support/chromium.js';
import { closeAll, glossBrowser } from '../../test/e2e/support/gloss-browser.js';
import { seeded } from '../../test/support/seeded.js';
import { byTestId, clickUi, inUi, waitForUi } from '../../test/e2e/support/gloss-ui.js';
import { buildBigPage } from '../anchoring/big-page.js';
import { startServer } from '../lib/proc.js';
import { COMMENT } from '../lib/payload.js';
import { round } from '../lib/stats.js';

/**
 * The content script on a heavily annotated page, in real Chromium with the built extension
 * (dist/chrome) against the real server: the 528 KB page of the anchoring benchmark (section 7)
 * seeded with N conversations through the server (socket.io-client, the benchmark's raised rate
 * limits), for N = 1,000 and N = 5,000 (the server's cap per page, protocol/limits.ts).
 *
 * Everything is read from the page's renderer main thread, where the content script runs:
 * - `PerformanceObserver('longtask')` entries (tasks over 50 ms, content-script work included),
 *   installed before the page's first script;
 * - CDP `Performance.getMetrics` TaskDuration (page.metrics()): the main thread's busy time, all
 *   tasks, however short; a window's busy share is its TaskDuration delta over its wall time;
 * - a MutationObserver stamping every write of `data-gloss-highlights` (the content script sets it in
 *   the same pass that anchors, paints and renders the panel, after the anchoring and before the render).
 *
 * Per N: (a) load → all N highlights painted, then a click on the panel toggle → its cards in the
 * next frame, and a search that matches nothing cleared with its × → the cards in the next frame; (d) the page's own script appends a paragraph every 500 ms for 5 s (each append makes
 * the content script re-anchor every conversation, debounced); (b) a peer creates one conversation,
 * panel closed then open (3 each); (c) the peer creates 40 conversations/s for 5 s, panel open.
 * A page at the cap has no room for (b) and (c): the peer first deletes as many as they add
 * (untimed), so they run from N − 206.
 */

export interface WindowStats {
  /** Wall time of the window (ms). */
  windowMs: number;
  /** Main-thread busy time in the window (TaskDuration delta, ms) and its share of the window. */
  busyMs: number;
  busyPct: number;
  longTasks: number;
  longestTaskMs: number;
}

export interface ScaleCase {
  conversations: number;
  anchored: number;
  /** Navigation start → `data-gloss-highlights` = N (ms, page clock). */
  loadToPaintMs: number;
  /** The longest task and the busy time from navigation start to that paint. */
  load: { longestTaskMs: number; longTasks: number; busyMs: number };
  /** Click on the panel toggle → next frame with its cards in the panel (ms); all N until change 35, which renders the first ones. */
  panelOpenMs: number;
  panelCards: number;
  /** The longest task from that click to that frame (0: none over 50 ms); not in records before change 35. */
  panelOpenLongestTaskMs?: number;
  /** A search matching nothing, then its × clicked → next frame with the cards shown again; not in records before change 35. */
  searchClear?: Timed;
  /** (d) re-anchoring passes while the page appended a paragraph every 500 ms. */
  mutation: WindowStats & { appends: number; passes: number; busyPerPassMs: number };
  /** (b) one peer create: create sent → highlight painted (ms, cross-clock), and the window around it. */
  liveClosed: { toPaintMs: number[]; longestTaskMs: number; busyMs: number[] };
  liveOpen: { toPaintMs: number[]; longestTaskMs: number; busyMs: number[] };
  /** (c) 40 creates/s for 5 s with the panel open. */
  burst: WindowStats & { creates: number; lastPaintAfterLastSendMs: number };
}

export interface PageScaleResult {
  browser: string;
  page: { htmlBytes: number; textChars: number };
  cases: ScaleCase[];
}

/** SCALE_PANEL_ONLY=1: step (a)'s panel alone, for a study of the panel (not part of a run of record). */
export interface PanelCase {
  conversations: number;
  panelOpen: Timed;
  searchClear: Timed;
  /** The pointer onto the first card → the end of the next frame (change 42). */
  cardHover: Timed;
}

interface PageProbe {
  longTasks: [number, number][];
  paints: [string, number][];
}

declare global {
  interface Window {
    __glossScale?: PageProbe;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nodeNow = () => performance.timeOrigin + performance.now();

// Sent as source text: tsx would wrap named functions of a serialised callback in a `__name` helper the page lacks.
const PROBE = `(() => {
  const probe = { longTasks: [], paints: [] };
  window.__glossScale = probe;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) probe.longTasks.push([performance.timeOrigin + e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
  new MutationObserver(() => probe.paints.push([document.documentElement.dataset.glossHighlights ?? '', performance.timeOrigin + performance.now()]))
    .observe(document, { subtree: true, attributes: true, attributeFilter: ['data-gloss-highlights'] });
})()`;

/** Serves the big page (its relative stylesheets and scripts answer 404: nothing leaves the machine). */
async function servePage(html: string): Promise<{ url(run: string): string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if ((req.url ?? '').startsWith('/big.html')) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
    else res.writeHead(404).end();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (run) => `${origin}/big.html?run=${run}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Quotes of 20–150 characters that start on a word, at distinct places of `text`, with a fixed seed. */
function pickSelectors(text: string, count: number, seed: number): Selector[][] {
  const { next } = seeded(seed);
  const out: Selector[][] = [];
  const used = new Set<number>();
  for (let tries = 0; out.length < count && tries < count * 100; tries++) {
    const start = Math.floor(next() * (text.length - 200));
    const end = start + 20 + Math.floor(next() * 130);
    const exact = text.slice(start, end);
    if (used.has(start) || !/^\w/.test(exact) || exact.replace(/\s+/g, '').length < exact.length * 0.7) continue;
    used.add(start);
    out.push([
      { type: 'TextQuoteSelector', exact, prefix: text.slice(Math.max(0, start - 32), start), suffix: text.slice(end, end + 32) },
      { type: 'TextPositionSelector', start, end },
    ]);
  }
  if (out.length < count) throw new Error(`only ${out.length} quotes could be placed on the page`);
  return out;
}

/** The peer: one socket.io-client user who creates (and, to make room, deletes) conversations on the page. */
async function connectPeer(serverUrl: string, pageUrl: string): Promise<Socket> {
  const socket = io(serverUrl, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { anonymousId: crypto.randomUUID(), name: 'Peer' } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const joined = (await socket.emitWithAck('page:join', { url: pageUrl })) as { ok: boolean };
  if (!joined.ok) throw new Error(`page:join refused: ${JSON.stringify(joined)}`);
  return socket;
}

async function create(socket: Socket, pageUrl: string, selector: Selector[]): Promise<string> {
  const id = uuidv7();
  const ack = (await socket.emitWithAck('text-chat:create', { broadcastId: id, chat: { id, url: pageUrl, target: { selector }, text: COMMENT } })) as { ok: boolean };
  if (!ack.ok) throw new Error(`create refused: ${JSON.stringify(ack)}`);
  return id;
}

async function remove(socket: Socket, id: string): Promise<void> {
  const ack = (await socket.emitWithAck('text-chat:delete', { broadcastId: uuidv7(), id })) as { ok: boolean };
  if (!ack.ok) throw new Error(`delete refused: ${JSON.stringify(ack)}`);
}

/** Many creates, `parallel` in flight at a time. */
async function seed(socket: Socket, pageUrl: string, list: Selector[][], parallel = 100): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < list.length; i += parallel) ids.push(...(await Promise.all(list.slice(i, i + parallel).map((sel) => create(socket, pageUrl, sel)))));
  return ids;
}

const probe = (page: Page) => page.evaluate(() => window.__glossScale!);
const busySeconds = async (page: Page) => (await page.metrics()).TaskDuration ?? 0;

async function waitPaint(page: Page, count: number, after: number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = (await probe(page)).paints.find(([v, t]) => Number(v) === count && t >= after);
    if (hit) return hit[1];
    if (Date.now() > deadline) throw new Error(`the page did not paint ${count} highlights within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Measures a window: `run` acts, the window is from before it to `settleMs` after it resolves. */
async function measureWindow<T>(page: Page, settleMs: number, run: () => Promise<T>): Promise<{ stats: WindowStats; value: T; from: number }> {
  const busy0 = await busySeconds(page);
  const from = nodeNow();
  const value = await run();
  await sleep(settleMs);
  const to = nodeNow();
  const busyMs = ((await busySeconds(page)) - busy0) * 1000;
  const long = (await probe(page)).longTasks.filter(([t]) => t >= from - 5 && t <= to);
  const windowMs = to - from;
  return {
    value,
    from,
    stats: {
      windowMs: round(windowMs),
      busyMs: round(busyMs),
      busyPct: round((busyMs / windowMs) * 100, 1),
      longTasks: long.length,
      longestTaskMs: round(Math.max(0, ...long.map(([, d]) => d))),
    },
  };
}

/** A real click's cost: the click → the end of the next frame, the cards then in the panel, and the longest task over that time (the click's own included). */
export interface Timed {
  ms: number;
  cards: number;
  longestTaskMs: number;
}

const cardCount = (page: Page) => page.evaluate(() => document.querySelector('gloss-root')?.shadowRoot?.querySelectorAll('[data-testid="conversation"]:not([hidden] *)').length ?? 0);

/**
 * Clicks the control `testId` of our UI with a real (trusted) click: the UI ignores synthetic ones.
 * The clock runs from the click (a capture listener on the window, before the UI's own handler
 * renders) to the end of the next frame, which lays out and paints what the render put in. Cards
 * counted are those shown (a card the search hides is in a `hidden` wrapper).
 */
async function timedClick(page: Page, testId: string): Promise<Timed> {
  await page.evaluate(`(() => {
    const root = document.querySelector('gloss-root').shadowRoot;
    window.__glossClick = null;
    window.addEventListener('click', (e) => {
      if (!e.composedPath().some((n) => n.dataset && n.dataset.testid === ${JSON.stringify(testId)})) return;
      const t0 = performance.now();
      requestAnimationFrame(() => setTimeout(() => {
        window.__glossClick = { from: performance.timeOrigin + t0, ms: performance.now() - t0, cards: root.querySelectorAll('[data-testid="conversation"]:not([hidden] *)').length };
      }));
    }, { capture: true, once: true });
  })()`);
  await clickUi(page, byTestId(testId));
  for (let i = 0; i < 600; i++) {
    const done = (await page.evaluate('window.__glossClick')) as { from: number; ms: number; cards: number } | null;
    if (done) {
      await sleep(100); // the long-task entry is queued after its task
      // Every task that overlaps the window: the one the click is dispatched in began before it, with the browser's hit test.
      const long = (await probe(page)).longTasks.filter(([t, d]) => t + d >= done.from && t <= done.from + done.ms);
      return { ms: done.ms, cards: done.cards, longestTaskMs: round(Math.max(0, ...long.map(([, d]) => d))) };
    }
    await sleep(50);
  }
  throw new Error(`the click on ${testId} was not seen`);
}

/**
 * The pointer moved onto the first card (linked hover: its highlight drawn `gloss-hover`, the card
 * marked): from the pointerover (a capture listener on the window) to the end of the next frame,
 * the frame that pays for the highlights' work after the change (docs/benchmarks.md, change 42).
 */
async function timedHover(page: Page): Promise<Timed> {
  await page.mouse.move(5, 5);
  await sleep(300);
  await page.evaluate(`(() => {
    const root = document.querySelector('gloss-root').shadowRoot;
    window.__glossHover = null;
    const on = (e) => {
      if (!e.composedPath().some((n) => n.dataset && n.dataset.testid === 'conversation')) return;
      window.removeEventListener('pointerover', on, true);
      const t0 = performance.now();
      requestAnimationFrame(() => setTimeout(() => {
        window.__glossHover = { from: performance.timeOrigin + t0, ms: performance.now() - t0, cards: root.querySelectorAll('[data-testid="conversation"]:not([hidden] *)').length };
      }));
    };
    window.addEventListener('pointerover', on, true);
  })()`);
  const card = await page.locator(inUi(byTestId('conversation'))).setTimeout(30_000).waitHandle();
  const box = await card.boundingBox();
  if (!box) throw new Error('the first card has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(20, box.height / 2));
  for (let i = 0; i < 600; i++) {
    const done = (await page.evaluate('window.__glossHover')) as { from: number; ms: number; cards: number } | null;
    if (done) {
      await sleep(100);
      const long = (await probe(page)).longTasks.filter(([t, d]) => t + d >= done.from && t <= done.from + done.ms);
      await page.mouse.move(5, 5);
      return { ms: round(done.ms), cards: done.cards, longestTaskMs: round(Math.max(0, ...long.map(([, d]) => d))) };
    }
    await sleep(50);
  }
  throw new Error('the pointer on the first card was not seen');
}

/** Opens or closes the panel with its toggle (timed when it changes anything). */
async function togglePanel(page: Page, open: boolean): Promise<Timed> {
  const isOpen = () => page.evaluate(() => !!document.querySelector('gloss-root')?.shadowRoot?.querySelector('[data-testid="panel"]'));
  if ((await isOpen()) !== open) return timedClick(page, 'panel-toggle');
  return { ms: 0, cards: await cardCount(page), longestTaskMs: 0 };
}

/**
 * With the panel open: a search that matches nothing (typed, then Enter, which filters at once),
 * then its × clicked: the time to show the whole list again.
 */
async function searchThenClear(page: Page): Promise<Timed> {
  await clickUi(page, byTestId('search'));
  await page.keyboard.type('zqxjw');
  await page.keyboard.press('Enter');
  await page.locator(inUi(byTestId('search-empty'))).setTimeout(30_000).wait();
  await sleep(300);
  return timedClick(page, 'search-clear');
}

async function measureCase(g: ChromiumWithGloss, serverUrl: string, url: string, n: number, selectors: Selector[][], quick: boolean, panelOnly: true): Promise<PanelCase>;
async function measureCase(g: ChromiumWithGloss, serverUrl: string, url: string, n: number, selectors: Selector[][], quick: boolean, panelOnly?: false): Promise<ScaleCase>;
async function measureCase(g: ChromiumWithGloss, serverUrl: string, url: string, n: number, selectors: Selector[][], quick: boolean, panelOnly = false): Promise<ScaleCase | PanelCase> {
  const peer = await connectPeer(serverUrl, url);
  try {
    const reserve = selectors.slice(n);
    const ids = await seed(peer, url, selectors.slice(0, n));

    // (a) load → paint, then the panel.
    const page = await g.browser.newPage();
    await page.evaluateOnNewDocument(PROBE);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitForUi(page);
    await page.bringToFront();
    const navStart = await page.evaluate(() => performance.timeOrigin);
    const painted = await waitPaint(page, n, 0, 120_000);
    await sleep(500);
    const loadProbe = await probe(page);
    const loadLong = loadProbe.longTasks.filter(([t]) => t <= painted);
    const loadBusy = (await busySeconds(page)) * 1000;
    const trace = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
      // SCALE_WORKER_PROFILE=<dir>: a CPU profile of the extension's service worker over the step
      // (the page's trace does not hold the worker's process).
      const workerDir = process.env.SCALE_WORKER_PROFILE;
      if (workerDir) {
        const session = (await g.worker()).client;
        await session.send('Profiler.enable');
        await session.send('Profiler.start');
        try {
          return await f();
        } finally {
          const { profile } = await session.send('Profiler.stop');
          fs.writeFileSync(`${workerDir}/${n}-${name}.cpuprofile`, JSON.stringify(profile));
        }
      }
      // SCALE_TRACE=<dir>: a Chromium trace of the step, for finding where the time goes (not part of the figures).
      const dir = process.env.SCALE_TRACE;
      if (!dir) return f();
      await page.tracing.start({ path: `${dir}/${n}-${name}.json`, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'blink'] });
      try {
        return await f();
      } finally {
        await page.tracing.stop();
      }
    };
    const panel = await trace('panel-open', () => togglePanel(page, true));
    await sleep(300);
    const searchClear = await trace('search-clear', () => searchThenClear(page));
    await sleep(300);
    const cardHover = panelOnly ? await trace('card-hover', () => timedHover(page)) : undefined;
    await sleep(300);
    await togglePanel(page, false);
    await sleep(300);
    if (panelOnly) {
      await page.close();
      return { conversations: n, panelOpen: { ...panel, ms: round(panel.ms) }, searchClear: { ...searchClear, ms: round(searchClear.ms) }, cardHover: cardHover! };
    }

    // (d) the page's own script appends a paragraph every 500 ms.
    const appends = quick ? 4 : 10;
    const paintsBefore = (await probe(page)).paints.length;
    const mutation = await trace('mutation', () => measureWindow(page, 1200, async () => {
      await page.evaluate(`new Promise((resolve) => {
        let i = 0;
        const t = setInterval(() => {
          const p = document.createElement('p');
          p.textContent = 'A paragraph the page added by itself, number ' + (++i) + '.';
          document.body.appendChild(p);
          if (i === ${appends}) { clearInterval(t); resolve(); }
        }, 500);
      })`);
    }));
    const passes = (await probe(page)).paints.length - paintsBefore;

    // Room for (b) and (c) on a page at the cap.
    const live = quick ? 2 : 3;
    const burstCreates = quick ? 80 : 200;
    let count = n;
    const room = n + 2 * live + burstCreates - 5000;
    if (room > 0) {
      const removing = nodeNow();
      for (let i = 0; i < room; i += 50) await Promise.all(ids.slice(i, Math.min(room, i + 50)).map((id) => remove(peer, id)));
      count -= room;
      await waitPaint(page, count, removing);
      await sleep(1000);
    }

    // (b) one live change, panel closed then open.
    let next = 0;
    const liveRound = async (open: boolean) => {
      await togglePanel(page, open);
      await sleep(500);
      const toPaint: number[] = [];
      const busy: number[] = [];
      let longest = 0;
      for (let i = 0; i < live; i++) {
        const w = await measureWindow(page, 700, async () => {
          const sent = nodeNow();
          await create(peer, url, reserve[next++]!);
          count++;
          return (await waitPaint(page, count, sent)) - sent;
        });
        toPaint.push(round(w.value, 1));
        busy.push(w.stats.busyMs);
        longest = Math.max(longest, w.stats.longestTaskMs);
      }
      return { toPaintMs: toPaint, longestTaskMs: longest, busyMs: busy };
    };
    const liveClosed = await trace('live-closed', () => liveRound(false));
    const liveOpen = await trace('live-open', () => liveRound(true));

    // (c) a burst: 40 creates/s (one every 25 ms), panel open.
    let lastSent = 0;
    const burst = await trace('burst', () => measureWindow(page, 1000, async () => {
      const pending: Promise<string>[] = [];
      const started = nodeNow();
      const t0 = Date.now();
      for (let i = 0; i < burstCreates; i++) {
        const wait = t0 + i * 25 - Date.now();
        if (wait > 0) await sleep(wait);
        pending.push(create(peer, url, reserve[next++]!));
        lastSent = nodeNow();
      }
      await Promise.all(pending);
      count += burstCreates;
      // A count seen before (a page at the cap passed it while loading) does not count: only a paint after the burst began.
      return waitPaint(page, count, started);
    }));
    await page.close();
    return {
      conversations: n,
      anchored: Number(loadProbe.paints.find(([v]) => Number(v) === n)?.[0] ?? 0),
      loadToPaintMs: round(painted - navStart),
      load: { longestTaskMs: round(Math.max(0, ...loadLong.map(([, d]) => d))), longTasks: loadLong.length, busyMs: round(loadBusy) },
      panelOpenMs: round(panel.ms),
      panelCards: panel.cards,
      panelOpenLongestTaskMs: panel.longestTaskMs,
      searchClear: { ...searchClear, ms: round(searchClear.ms) },
      mutation: { ...mutation.stats, appends, passes, busyPerPassMs: round(mutation.stats.busyMs / Math.max(1, passes)) },
      liveClosed,
      liveOpen,
      burst: { ...burst.stats, creates: burstCreates, lastPaintAfterLastSendMs: round(burst.value - lastSent) },
    };
  } finally {
    peer.close();
  }
}

export async function measurePageScale(opts: { quick?: boolean; sizes?: number[]; panelOnly?: boolean; log?: (msg: string) => void } = {}): Promise<PageScaleResult & { panelOnly?: PanelCase[] }> {
  const quick = opts.quick ?? false;
  // SCALE_SIZES=1000 (comma-separated): other page sizes, for a study run alone.
  const sizes = opts.sizes ?? (process.env.SCALE_SIZES ? process.env.SCALE_SIZES.split(',').map(Number) : [1000, 5000]);
  const log = opts.log ?? (() => {});
  const html = buildBigPage();
  const server = await startServer('gloss');
  const pages = await servePage(html);
  let g: ChromiumWithGloss | undefined;
  try {
    g = (await glossBrowser('chromium', 'bench-scale', { serverUrl: server.url, name: 'Reader' })) as ChromiumWithGloss;
    const browser = await g.browser.version();
    // The text model the content script anchors over, read once from the page itself.
    const first = await g.browser.newPage();
    await first.goto(pages.url('text'), { waitUntil: 'load' });
    await waitForUi(first);
    const text = await first.evaluate(`(() => {
      const skipped = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'GLOSS-ROOT']);
      const w = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => n.nodeType === 1 && skipped.has(n.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
      });
      let out = '';
      for (let n = w.nextNode(); n; n = w.nextNode()) if (n.nodeType === 3) out += n.data;
      return out;
    })()`);
    await first.close();
    const extra = 2 * 3 + 200;
    const cases: ScaleCase[] = [];
    const panelCases: PanelCase[] = [];
    for (const n of sizes) {
      const selectors = pickSelectors(text as string, n + extra, n);
      if (opts.panelOnly) {
        const p = await measureCase(g, server.url, pages.url(`panel-${n}-${Date.now()}`), n, selectors, quick, true);
        log(`N=${n}: panel open ${round(p.panelOpen.ms)} ms, ${p.panelOpen.cards} cards, longest task ${p.panelOpen.longestTaskMs} ms; search cleared ${p.searchClear.ms} ms, ${p.searchClear.cards} cards, longest task ${p.searchClear.longestTaskMs} ms; card hovered ${p.cardHover.ms} ms, longest task ${p.cardHover.longestTaskMs} ms`);
        panelCases.push(p);
        continue;
      }
      const c = await measureCase(g, server.url, pages.url(`scale-${n}-${Date.now()}`), n, selectors, quick);
      log(`N=${n}: load → paint ${c.loadToPaintMs} ms (longest task ${c.load.longestTaskMs} ms), panel ${c.panelOpenMs} ms (${c.panelCards} cards), search cleared ${c.searchClear?.ms} ms; re-anchor ${c.mutation.busyPerPassMs} ms/pass (longest ${c.mutation.longestTaskMs} ms); live closed ${c.liveClosed.toPaintMs.join('/')} ms (longest ${c.liveClosed.longestTaskMs}), open ${c.liveOpen.toPaintMs.join('/')} ms (longest ${c.liveOpen.longestTaskMs}); burst busy ${c.burst.busyPct} %, longest ${c.burst.longestTaskMs} ms`);
      cases.push(c);
    }
    return { browser, page: { htmlBytes: Buffer.byteLength(html), textChars: (text as string).length }, cases, ...(opts.panelOnly ? { panelOnly: panelCases } : {}) };
  } finally {
    await closeAll(g, pages);
    await server.stop();
  }
}

// `tsx bench/e2e/page-scale.ts` runs this phase alone (BENCH_QUICK=1: shorter; SCALE_PANEL_ONLY=1: the panel's open and search clear alone).
if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  const r = await measurePageScale({ quick: process.env.BENCH_QUICK === '1', panelOnly: process.env.SCALE_PANEL_ONLY === '1', log: (m) => process.stdout.write(`${m}\n`) });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\ntook ${Math.round((Date.now() - t0) / 1000)} s\n`);
  process.exit(0);
}
