import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import type { Selector } from '../../protocol/model.js';
import { ROOT } from '../lib/proc.js';
import { median, round } from '../lib/stats.js';
import { buildBigPage } from './big-page.js';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CONVERSATIONS = 200;
const RUNS = 5;

export interface AnchorCase {
  conversations: number;
  anchored: number;
  exact: number;
  firstMs: number;
  medianMs: number;
  runsMs: number[];
}

export interface AnchoringResult {
  browser: string;
  page: { htmlBytes: number; textChars: number; elements: number };
  valid: AnchorCase;
  fuzzy: AnchorCase;
}

interface PageApi {
  glossBench: {
    pick(count: number, seed: number): Selector[][];
    time(list: Selector[][], runs: number): { firstMs: number; runsMs: number[]; anchored: number; exact: number };
    editTop(chars: number): void;
    pageStats(): AnchoringResult['page'];
  };
}

async function openPage(browser: Browser, file: string, bundle: string): Promise<Page> {
  const page = await browser.newPage();
  // Nothing leaves the machine: the saved page's own stylesheets and scripts point at wikipedia.org.
  await page.setRequestInterception(true);
  page.on('request', (req) => void (/^(file|data|about):/.test(req.url()) ? req.continue() : req.abort()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 60_000 });
  await page.addScriptTag({ content: bundle });
  return page;
}

const summarise = (r: { firstMs: number; runsMs: number[]; anchored: number; exact: number }): AnchorCase => ({
  conversations: CONVERSATIONS,
  anchored: r.anchored,
  exact: r.exact,
  firstMs: round(r.firstMs),
  medianMs: round(median(r.runsMs)),
  runsMs: r.runsMs.map((x) => round(x)),
});

/** Anchors 200 conversations on a ~500 KB page in real Chromium, valid positions and after an edit at the top. */
export async function measureAnchoring(): Promise<AnchoringResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-anchoring-'));
  const file = path.join(dir, 'big-page.html');
  fs.writeFileSync(file, buildBigPage());
  const built = await esbuild.build({
    entryPoints: [path.join(ROOT, 'bench', 'anchoring', 'page-entry.ts')],
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const bundle = built.outputFiles[0]!.text;
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, userDataDir: path.join(dir, 'profile'), timeout: 60_000 });
  try {
    const version = await browser.version();
    // Valid positions: a fresh page, the first anchorAll is the cold one a content script would run.
    const a = await openPage(browser, file, bundle);
    const list = await a.evaluate((n) => (window as unknown as PageApi).glossBench.pick(n, 42), CONVERSATIONS);
    const pageStats = await a.evaluate(() => (window as unknown as PageApi).glossBench.pageStats());
    const valid = await a.evaluate((l, runs) => (window as unknown as PageApi).glossBench.time(l, runs), list, RUNS);
    await a.close();
    // Fuzzy path: another fresh page, edited at the top before anything is anchored.
    const b = await openPage(browser, file, bundle);
    const fuzzy = await b.evaluate(
      (l, runs) => {
        const api = (window as unknown as PageApi).glossBench;
        api.editTop(300);
        return api.time(l, runs);
      },
      list,
      RUNS,
    );
    await b.close();
    if (list.length !== CONVERSATIONS) throw new Error(`only ${list.length} conversations could be placed on the page`);
    return { browser: version, page: pageStats, valid: summarise(valid), fuzzy: summarise(fuzzy) };
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
