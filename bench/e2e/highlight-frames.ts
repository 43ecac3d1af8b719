/**
 * What a frame costs Chromium with 5,000 ranges in one CSS Highlight, by what changed before it
 * (docs/benchmarks.md, change 36): nothing, an appended text node (with and without the highlight),
 * an attribute of <html>, `Highlight.add` of one range, a new Highlight of all of them and one more,
 * and the last two with a text node appended in the same frame (what a render pass does).
 * 30 frames each on the page of section 7, each traced: `npx tsx bench/e2e/highlight-frames.ts <dir>`
 * writes <dir>/<case>.json (Chromium traces; compare `Blink.CompositingInputs.UpdateTime`, pre-paint
 * and paint on the renderer's main thread). A study, not part of `npm run bench`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer';
import { buildBigPage } from '../anchoring/big-page.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hl-exp-'));
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, userDataDir: dir, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--window-size=1280,900'] });
const outDir = process.argv[2];
if (!outDir) throw new Error('usage: npx tsx bench/e2e/highlight-frames.ts <dir for the traces>');
try {
  const page = await browser.newPage();
  await page.setContent(buildBigPage(), { waitUntil: 'load' });
  await page.evaluate(`(() => {
    const nodes = []; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) if (n.data.trim().length > 30) nodes.push(n);
    let seed = 7; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    window.__mk = () => { const n = nodes[Math.floor(rnd() * nodes.length)]; const r = document.createRange(); const s = Math.floor(rnd() * (n.data.length - 20)); r.setStart(n, s); r.setEnd(n, s + 15); return r; };
    window.__ranges = Array.from({ length: 5000 }, () => window.__mk());
    const st = document.createElement('style'); st.textContent = '::highlight(gloss){background:#fff394}'; document.head.appendChild(st);
    window.__sink = document.createElement('div'); document.body.appendChild(window.__sink);
  })()`);
  const scenarios: Record<string, string> = {
    none_dom: `CSS.highlights.delete('gloss'); window.__step = () => window.__sink.appendChild(document.createTextNode('x'));`,
    hl_dom: `window.__hl = new Highlight(...window.__ranges); CSS.highlights.set('gloss', window.__hl); window.__step = () => window.__sink.appendChild(document.createTextNode('x'));`,
    hl_attr: `window.__hl = new Highlight(...window.__ranges); CSS.highlights.set('gloss', window.__hl); window.__step = () => { document.documentElement.dataset.n = String(Math.random()); };`,
    hl_add: `window.__hl = new Highlight(...window.__ranges); CSS.highlights.set('gloss', window.__hl); window.__step = () => window.__hl.add(window.__mk());`,
    hl_new: `window.__all = [...window.__ranges]; CSS.highlights.set('gloss', new Highlight(...window.__all)); window.__step = () => { window.__all.push(window.__mk()); CSS.highlights.set('gloss', new Highlight(...window.__all)); };`,
    hl_add_dom: `window.__hl = new Highlight(...window.__ranges); CSS.highlights.set('gloss', window.__hl); window.__step = () => { window.__hl.add(window.__mk()); window.__sink.appendChild(document.createTextNode('x')); };`,
    hl_new_dom: `window.__all = [...window.__ranges]; CSS.highlights.set('gloss', new Highlight(...window.__all)); window.__step = () => { window.__all.push(window.__mk()); CSS.highlights.set('gloss', new Highlight(...window.__all)); window.__sink.appendChild(document.createTextNode('x')); };`,
    hl_idle: `window.__hl = new Highlight(...window.__ranges); CSS.highlights.set('gloss', window.__hl); window.__step = () => {};`,
  };
  for (const [name, setup] of Object.entries(scenarios)) {
    await page.evaluate(setup);
    await page.evaluate(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`);
    await new Promise((r) => setTimeout(r, 300));
    await page.tracing.start({ path: `${outDir}/${name}.json`, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink'] });
    await page.evaluate(`new Promise((resolve) => { let i = 0; const f = () => { if (i++ === 30) return resolve(); window.__step(); requestAnimationFrame(f); }; requestAnimationFrame(f); })`);
    await page.tracing.stop();
  }
} finally {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
