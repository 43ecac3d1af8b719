/**
 * What registering only the highlights near the viewport saves and costs (docs/benchmarks.md, change
 * 42), on the page of section 7 with 5,000 ranges of 15 characters at random places in its text, in
 * headless Chromium. Modes, each on a fresh page: `none` (nothing registered), `all` (every range in
 * one Highlight, as below WINDOW_FROM), `window` (extension/content/highlighter/visible-ranges.ts,
 * bundled with esbuild and run in the page). Per mode:
 * - the main thread's busy time per change, over 20 changes of one attribute 150 ms apart (CDP
 *   TaskDuration; the same 20 waits without a change subtracted): the frame after a change;
 * - a scroll through the page, 120 px per frame for 240 frames: long tasks (over 50 ms), the
 *   longest gap between two frames, busy time;
 * - for `window`: the cost of the first choice (every position measured, the index built), of a
 *   choice again after the positions went stale, and of a new band from kept positions.
 * `npx tsx bench/e2e/paint-window.ts`; a study, not part of `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Page } from 'puppeteer';
import { buildBigPage } from '../anchoring/big-page.js';

const RANGES = Number(process.env.PW_RANGES ?? 5000);
const here = path.dirname(new URL(import.meta.url).pathname);
const bundle = execFileSync(
  path.join(here, '../../node_modules/.bin/esbuild'),
  [path.join(here, '../../extension/content/highlighter/visible-ranges.ts'), '--bundle', '--format=iife', '--global-name=__pw'],
  { encoding: 'utf8' },
);

const SETUP = `(() => {
  const nodes = []; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) if (n.data.trim().length > 30) nodes.push(n);
  let seed = 7; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const mk = () => { const n = nodes[Math.floor(rnd() * nodes.length)]; const r = document.createRange(); const s = Math.floor(rnd() * (n.data.length - 20)); r.setStart(n, s); r.setEnd(n, s + 15); return r; };
  window.__ranges = Array.from({ length: ${RANGES} }, mk);
  const st = document.createElement('style'); st.textContent = '::highlight(gloss){background:#fff394}'; document.head.appendChild(st);
  // What the change is made to: an element in a shadow root of its own, as a card in our UI.
  const host = document.createElement('div'); document.body.appendChild(host);
  const shadow = host.attachShadow({ mode: 'open' });
  shadow.appendChild(document.createElement('style')).textContent = '.hovered{outline:2px solid blue}';
  window.__ui = shadow.appendChild(document.createElement('div'));
  window.__ui.textContent = 'A card';
})()`;

const busy = async (page: Page) => ((await page.metrics()).TaskDuration ?? 0) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Busy time per 150 ms step over 20 steps run in the page (one evaluate: its own cost is the same with and without the change). */
async function perChange(page: Page, change: boolean): Promise<number> {
  const b0 = await busy(page);
  await page.evaluate(`new Promise((resolve) => {
    let i = 0;
    const step = () => { if (i === 20) return resolve(); ${change ? "window.__ui.classList.toggle('hovered');" : ''} i++; setTimeout(step, 150); };
    step();
  })`);
  return ((await busy(page)) - b0) / 20;
}

async function run(mode: 'none' | 'all' | 'window'): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bench-'));
  const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, userDataDir: dir, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--window-size=1280,900'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.setContent(buildBigPage(), { waitUntil: 'load' });
    await page.evaluate(SETUP);
    const out: Record<string, unknown> = { mode, ranges: RANGES, pageHeight: await page.evaluate(() => document.documentElement.scrollHeight) };
    if (mode === 'all') await page.evaluate(`CSS.highlights.set('gloss', new Highlight(...window.__ranges))`);
    if (mode === 'window') {
      await page.addScriptTag({ content: bundle });
      Object.assign(
        out,
        await page.evaluate(`(() => {
          // As highlights.ts: a new Highlight only when the choice changed.
          let last = null;
          const paint = () => { const chosen = window.__near.select(window.__ranges); if (chosen !== last) CSS.highlights.set('gloss', new Highlight(...chosen)); last = chosen; };
          window.__paint = paint;
          window.__near = __pw.visibleRanges(document, paint);
          let t = performance.now(); const first = window.__near.select(window.__ranges); const firstMs = performance.now() - t;
          CSS.highlights.set('gloss', new Highlight(...first)); last = first;
          return { firstChoiceMs: firstMs };
        })()`),
      );
      // Past REMEASURE_MS (visible-ranges.ts), which would hold a layout change right after a measure.
      await sleep(200);
      Object.assign(
        out,
        await page.evaluate(`(() => {
          window.__near.layoutChanged();
          let t = performance.now(); window.__near.select(window.__ranges); const staleMs = performance.now() - t;
          scrollTo(0, 20000);
          t = performance.now(); const moved = window.__near.select(window.__ranges); const bandMs = performance.now() - t;
          t = performance.now(); CSS.highlights.set('gloss', new Highlight(...moved)); const registerMs = performance.now() - t;
          scrollTo(0, 0); window.__paint();
          return { staleChoiceMs: staleMs, newBandMs: bandMs, registered: moved.length, newHighlightMs: registerMs };
        })()`),
      );
    }
    await sleep(1000);
    const idle = await perChange(page, false);
    const changed = await perChange(page, true);
    out.busyPerChangeMs = r1(changed - idle);
    out.idlePer150Ms = r1(idle);
    await page.evaluate(`(() => { window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' }); })()`);
    const b0 = await busy(page);
    const scroll = (await page.evaluate(`new Promise((resolve) => {
      let i = 0; let last = performance.now(); let gap = 0; const t0 = last;
      const f = (now) => { gap = Math.max(gap, now - last); last = now; if (i++ === 240) return resolve({ gapMs: gap, wallMs: now - t0 }); scrollBy(0, 120); requestAnimationFrame(f); };
      requestAnimationFrame(f);
    })`)) as { gapMs: number; wallMs: number };
    await sleep(400); // the settle re-measure (visible-ranges.ts) belongs to the scroll
    const long = (await page.evaluate('window.__long')) as number[];
    out.scroll = { frames: 240, wallMs: Math.round(scroll.wallMs), longestFrameGapMs: r1(scroll.gapMs), busyMs: Math.round((await busy(page)) - b0), longTasks: long.length, longestTaskMs: r1(Math.max(0, ...long)) };
    if (mode === 'window') out.registeredAtEnd = await page.evaluate(`CSS.highlights.get('gloss').size`);
    return out;
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rounds = Number(process.env.PW_ROUNDS ?? 2);
for (let i = 0; i < rounds; i++) for (const mode of (process.env.PW_MODES ?? 'none,all,window').split(',') as ('none' | 'all' | 'window')[]) process.stdout.write(`${JSON.stringify(await run(mode))}\n`);
process.stdout.write(`load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
