import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Page } from 'puppeteer';
import type { ChromiumWithGloss } from '../../test/e2e/support/chromium.js';
import { closeAll, glossBrowser, openArticle } from '../../test/e2e/support/gloss-browser.js';
import { createConversation, openPanel, POLL_MS, waitForHighlights, waitForUiText, waitForViewers } from '../../test/e2e/support/gloss-ui.js';
import { startStaticServer } from '../../test/e2e/support/static-server.js';
import { startServerProcess } from '../../test/support/server-process.js';
import { distribution, median, round, type Distribution } from '../lib/stats.js';

/**
 * Item 6 of issue 5, in real Chromium with the built extension (dist/chrome), through the E2E harness
 * of test/e2e/support: two browsers (two anonymous users) on the article page of test/e2e/pages.
 *
 * Submit → render: browser A creates a conversation through the UI (select, Annotate, type,
 * click `composer-submit`); the clock starts at that click (a capture listener on A's window) and
 * stops when browser B's content script sets `data-gloss-highlights` to the new count (a
 * MutationObserver in B's page; the CSS highlight `gloss` is set in the same call). Both stamps are
 * `performance.timeOrigin + performance.now()`, i.e. the machine's clock, in each page.
 *
 * Offline → reconnected: B reaches the server through a TCP relay on its own port (its settings
 * name the relay); A connects directly. The relay stops listening and drops B's connection; A
 * creates a conversation while B is offline; then the relay listens again on the same port. The
 * clock runs from the relay accepting B's new connection (B's reconnection, stamped in this process
 * on the same machine clock) to B's render of A's change.
 */

export interface E2eResult {
  browser: string;
  submitToRender: { samples: number[]; ms: Distribution; medianMs: number };
  reconnectToRender: { samples: number[]; ms: Distribution; medianMs: number; toLiveMs: number[]; outageMs: number[] };
  /** |page clock − this process's clock| estimated by round trips, per browser: the error bound of the cross-clock figures. */
  clockOffsetMs: { a: number; b: number; uncertaintyMs: number };
}

const PHRASES: [string, string][] = [
  ['#p-definition', 'functional and non-functional tests'],
  ['#p-definition', 'previously developed'],
  ['#p-definition', 'still performs after a change'],
  ['#p-definition', 'would be called a regression'],
  ['#p-definition', 'bug fixes, software enhancements'],
  ['#p-growth', 'test automation is frequently involved'],
  ['#p-growth', 'change impact analysis'],
  ['#p-growth', 'run longer than the release cycle allows'],
  ['#p-retest', 'retest everything'],
  ['#p-retest', 'the most expensive one'],
  ['#p-retest', 'whether or not the change could affect it'],
  ['#p-selection', 'exercise the changed code'],
  ['#p-selection', 'when the coverage data is accurate'],
  ['#p-priority', 'Test case prioritisation'],
  ['#p-priority', 'most likely to fail run first'],
  ['#p-priority', 'select, then order'],
  ['#p-practice', 'a small smoke suite on every commit'],
  ['#p-practice', 'the full suite nightly'],
  ['#p-closing', 'A flaky test is worse than no test'],
  ['#p-closing', 'ignore red builds'],
];

const nodeNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

declare global {
  interface Window {
    __glossBench?: { clicks: number[]; renders: [string, number][]; live: number[] };
  }
}

/** Stamps, in the page, every click on `composer-submit`, every change of the highlight count and every switch to "live". */
async function instrument(page: Page): Promise<void> {
  // Sent as source text: tsx (esbuild) would wrap named functions of a serialised callback in a
  // `__name` helper that the page does not have.
  await page.evaluate(`(() => {
    const stamp = () => performance.timeOrigin + performance.now();
    const state = { clicks: [], renders: [], live: [] };
    window.__glossBench = state;
    window.addEventListener('click', (e) => {
      if (e.composedPath().some((n) => n.dataset && n.dataset.testid === 'composer-submit')) state.clicks.push(stamp());
    }, true);
    new MutationObserver(() => state.renders.push([document.documentElement.dataset.glossHighlights ?? '', stamp()]))
      .observe(document.documentElement, { attributes: true, attributeFilter: ['data-gloss-highlights'] });
    const root = document.querySelector('gloss-root').shadowRoot;
    const isLive = () => (root.querySelector('[data-testid="connection"]')?.textContent ?? '').trim() === 'live';
    let wasLive = isLive();
    new MutationObserver(() => {
      const live = isLive();
      if (live && !wasLive) state.live.push(stamp());
      wasLive = live;
    }).observe(root, { subtree: true, childList: true, characterData: true });
  })()`);
}

const bench = (page: Page) => page.evaluate(() => window.__glossBench!);

/** Median of (page clock − node clock) over round trips, and the round trip's half width. */
async function clockOffset(page: Page): Promise<{ offset: number; half: number }> {
  const rows: { offset: number; half: number }[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = nodeNow();
    const p = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t1 = nodeNow();
    rows.push({ offset: p - (t0 + t1) / 2, half: (t1 - t0) / 2 });
  }
  rows.sort((x, y) => x.half - y.half);
  return rows[0]!;
}

/** A TCP relay to the server that can go down (refusing connections, dropping the open ones) and come back on the same port. */
async function startRelay(targetPort: number) {
  const open = new Set<net.Socket>();
  const accepted: number[] = [];
  const server = net.createServer((client) => {
    accepted.push(nodeNow());
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.setNoDelay(true);
      s.on('close', () => open.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  const port = await listen(0);
  return {
    port,
    accepted,
    async down() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of open) s.destroy();
      await closed;
    },
    up: () => listen(port),
    close: async () => {
      for (const s of open) s.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function waitRender(page: Page, count: number, after: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = (await bench(page)).renders.find(([v, t]) => Number(v) >= count && t >= after);
    if (hit) return hit[1];
    if (Date.now() > deadline) throw new Error(`B did not render highlight ${count} within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

export async function measureEndToEnd(opts: { rounds?: number; reconnectRounds?: number; log?: (msg: string) => void } = {}): Promise<E2eResult> {
  const rounds = opts.rounds ?? 20;
  const reconnectRounds = opts.reconnectRounds ?? 5;
  const log = opts.log ?? (() => {});
  const server = await startServerProcess({ env: { GLOSS_LOG_LEVEL: 'info' } });
  const pages = await startStaticServer();
  const relay = await startRelay(server.port);
  let a: ChromiumWithGloss | undefined;
  let b: ChromiumWithGloss | undefined;
  try {
    [a, b] = (await Promise.all([
      glossBrowser('chromium', 'bench-A', { serverUrl: server.url, name: 'Alice' }),
      glossBrowser('chromium', 'bench-B', { serverUrl: `http://127.0.0.1:${relay.port}`, name: 'Bob' }),
    ])) as [ChromiumWithGloss, ChromiumWithGloss];
    const browserVersion = await a.browser.version();
    const url = pages.url('article.html', `bench-${Date.now()}`);
    const pa = await openArticle(a, url);
    const pb = await openArticle(b, url);
    await waitForViewers(pa, 2);
    await waitForViewers(pb, 2);
    await openPanel(pa);
    await pb.bringToFront();
    await instrument(pa);
    await instrument(pb);
    const [oa, ob] = [await clockOffset(pa), await clockOffset(pb)];

    // 1. Submit in A → highlight rendered in B.
    const samples: number[] = [];
    let count = 0;
    for (let i = 0; i < rounds; i++) {
      const [within, phrase] = PHRASES[i % PHRASES.length]!;
      const clicksBefore = (await bench(pa)).clicks.length;
      await createConversation(pa, within, phrase, `Benchmark note ${i + 1}.`);
      count++;
      const clicked = (await bench(pa)).clicks[clicksBefore];
      if (clicked === undefined) throw new Error('the click on composer-submit was not seen in A');
      const rendered = await waitRender(pb, count, clicked);
      samples.push(round(rendered - clicked, 1));
      await waitForHighlights(pa, count);
    }
    log(`submit → render: ${samples.join(', ')} ms`);

    // 2. A peer's change while B is offline → B reconnects → B renders it.
    const reconnect: number[] = [];
    const toLive: number[] = [];
    const outage: number[] = [];
    for (let i = 0; i < reconnectRounds; i++) {
      await relay.down();
      const downAt = nodeNow();
      await waitForUiText(pb, '[data-testid="connection"]', /^(reconnecting|offline|connecting)$/);
      const [within, phrase] = PHRASES[(rounds + i) % PHRASES.length]!;
      await createConversation(pa, within, phrase, `Written while Bob is offline ${i + 1}.`);
      count++;
      await waitForHighlights(pa, count);
      const acceptedBefore = relay.accepted.length;
      await relay.up();
      const accepted = await (async () => {
        const deadline = Date.now() + 60_000;
        while (relay.accepted.length === acceptedBefore) {
          if (Date.now() > deadline) throw new Error('B did not reconnect within 60 s');
          await sleep(5);
        }
        return relay.accepted[acceptedBefore]!;
      })();
      const rendered = await waitRender(pb, count, accepted);
      const live = (await bench(pb)).live.find((t) => t >= accepted);
      reconnect.push(round(rendered - accepted, 1));
      if (live !== undefined) toLive.push(round(live - accepted, 1));
      outage.push(Math.round(accepted - downAt));
      await waitForUiText(pb, '[data-testid="connection"]', 'live');
    }
    log(`reconnect → render: ${reconnect.join(', ')} ms`);

    const dist = (xs: number[]) => distribution(Float64Array.from(xs));
    return {
      browser: browserVersion,
      submitToRender: { samples, ms: dist(samples), medianMs: round(median(samples), 1) },
      reconnectToRender: { samples: reconnect, ms: dist(reconnect), medianMs: round(median(reconnect), 1), toLiveMs: toLive, outageMs: outage },
      clockOffsetMs: { a: round(oa.offset, 2), b: round(ob.offset, 2), uncertaintyMs: round(Math.max(oa.half, ob.half), 2) },
    };
  } finally {
    await closeAll(a, b, pages);
    await relay.close();
    await server.stop();
  }
}

// `tsx bench/e2e/chromium.ts` runs this part alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureEndToEnd({ log: (m) => process.stdout.write(`${m}\n`) });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  process.exit(0);
}
