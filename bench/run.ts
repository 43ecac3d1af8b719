import fs from 'node:fs';
import path from 'node:path';
import { measureAnchoring, type AnchoringResult } from './anchoring/run.js';
import { measureEndToEnd } from './e2e/chromium.js';
import { measurePageScale } from './e2e/page-scale.js';
import type { CapacityConfig, CapacityStep, FanoutConfig, PhaseResult } from './driver/main.js';
import { machine, speedProbeMs } from './lib/machine.js';
import { ROOT, runDriver, startServer, type ServerKind } from './lib/proc.js';
import type { Repeats, RoundPair } from './lib/rounds.js';
import { writeReport, type BenchResults } from './lib/report.js';
import { measureWireSize } from './wire-size.js';
import { configFromEnv } from '../server/config.js';

/**
 * `npm run bench`: every benchmark of issue 5 that can run today, Gloss beside the raw `ws`
 * baseline in the same invocation, each server in its own process and the load driver in another.
 * Prints a table, writes docs/benchmarks.md and the raw JSON in bench/results/. Bounded: every
 * phase has a fixed duration and every wait a timeout, so the whole run ends by itself.
 *
 * BENCH_QUICK=1 shortens every phase (for trying the script, not for figures).
 */
const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = QUICK ? 2 : 10;
const SWEEP_SECONDS = QUICK ? 2 : 6;
/** Unrecorded load at each phase's rate before its window (FanoutConfig.warmupMs). */
const WARMUP_MS = QUICK ? 500 : 2000;
const C = Number(process.env.BENCH_CLIENTS ?? 1000);
const R = Number(process.env.BENCH_PAGES ?? 100);
const started = Date.now();
const say = (msg: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

async function fanout(
  label: string,
  kind: ServerKind,
  client: FanoutConfig['client'],
  rates: number[],
  seconds: number,
  env: Record<string, string> = {},
  shape: { clients: number; pages: number; sendersPerPage: number } = { clients: C, pages: R, sendersPerPage: 1 },
): Promise<{ label: string; server: string; client: string; env: Record<string, string>; phases: PhaseResult[] }> {
  say(`${label}: ${kind} server, ${client} driver, ${shape.clients} clients / ${shape.pages} pages, ${rates.join(' / ')} events/s × ${seconds} s`);
  const server = await startServer(kind, env);
  try {
    const cfg: FanoutConfig = {
      scenario: 'fanout',
      client,
      url: server.url,
      pid: server.pid,
      ...shape,
      phases: rates.map((rate) => ({ rate, durationMs: seconds * 1000 })),
      warmupMs: WARMUP_MS,
      drainMs: 3000,
      pauseMs: 1500,
    };
    const phases = await runDriver<PhaseResult[]>(cfg, 180_000);
    return { label, server: kind, client, env, phases };
  } finally {
    await server.stop();
  }
}

/**
 * More Gloss/baseline pairs at one rate, alternating which runs first (bench/lib/rounds.ts says why).
 * With `withReference`, plain Socket.IO runs too, on Gloss's other side (baseline, Gloss, plain
 * Socket.IO; then the reverse), so that Gloss stays next to both.
 */
async function extraPairs(rate: number, glossLabel: string, glossClient: FanoutConfig['client'], seconds: number, count: number, withReference = false): Promise<RoundPair[]> {
  const pairs: RoundPair[] = [];
  for (let i = 0; i < count; i++) {
    const n = i + 2;
    const gloss = async () => (await fanout(`${glossLabel}, pair ${n}`, 'gloss', glossClient, [rate], seconds)).phases[0]!;
    const base = async () => (await fanout(`raw ws baseline, pair ${n}`, 'baseline', 'raw', [rate], seconds)).phases[0]!;
    const ref = async () => (withReference ? (await fanout(`plain Socket.IO, pair ${n}`, 'socketio', 'light', [rate], seconds)).phases[0] : undefined);
    if (i % 2 === 0) {
      const b = await base();
      const g = await gloss();
      pairs.push({ order: 'baseline first', gloss: g, base: b, ref: await ref() });
    } else {
      const r = await ref();
      const g = await gloss();
      pairs.push({ order: 'gloss first', gloss: g, base: await base(), ref: r });
    }
  }
  return pairs;
}

/** The first pair of a ratio target: the main run's own Gloss and baseline phases at that rate. */
function firstPair(gloss: { phases: PhaseResult[] }, base: { phases: PhaseResult[] }, rate: number, ref?: { phases: PhaseResult[] }): RoundPair {
  const at = (run: { phases: PhaseResult[] }) => run.phases.find((p) => p.rate === rate)!;
  return { order: 'gloss first', gloss: at(gloss), base: at(base), ...(ref ? { ref: at(ref) } : {}) };
}

async function capacity(kind: 'gloss' | 'baseline', steps: number[]) {
  say(`capacity: ${kind}, ${steps.join(' then ')} idle connections`);
  const server = await startServer(kind);
  try {
    const cfg: CapacityConfig = { scenario: 'capacity', client: kind === 'gloss' ? 'light' : 'raw', url: server.url, pid: server.pid, steps, clientsPerPage: 10, settleMs: 3000 };
    return { server: kind, ...(await runDriver<{ baselineRssMB: number; baselineHeapMB: number; steps: CapacityStep[] }>(cfg, 240_000)) };
  } finally {
    await server.stop();
  }
}

const resultsDir = path.join(ROOT, 'bench', 'results');
const jsonName = QUICK ? 'latest-quick.json' : 'latest.json';
const docName = QUICK ? 'bench/results/benchmarks-quick.md' : 'docs/benchmarks.md';

// BENCH_REPORT_ONLY=1 re-renders the document from the raw JSON of the last run (no measuring).
if (process.env.BENCH_REPORT_ONLY === '1') {
  const saved = JSON.parse(fs.readFileSync(path.join(resultsDir, jsonName), 'utf8')) as BenchResults;
  process.stdout.write(`${writeReport(saved, path.join(ROOT, docName), `bench/results/${jsonName}`).table}\n`);
  process.exit(0);
}

/**
 * Pairs per ratio target: the main run's, then these more, five in all (change 24 in the notes):
 * with three, one pair's swing (1.3–2.8× at 500 events/s on the same code) moved the median across
 * a target's line.
 */
const EXTRA_PAIRS = QUICK ? 0 : 4;
const results: BenchResults = { machine: machine(), command: 'npm run bench', quick: QUICK, clients: C, pages: R } as BenchResults;

say('wire size of the typical conversation');
results.wire = await measureWireSize();

// 1 and 5: the main fan-out run with the real socket.io-client, on disk, in memory, and the baseline.
results.fanout = [
  await fanout('Gloss (SQLite on disk)', 'gloss', 'socket.io-client', [500, 2000], SECONDS),
  await fanout('raw ws baseline', 'baseline', 'raw', [500, 2000], SECONDS),
  await fanout('Gloss (SQLite in memory)', 'gloss', 'socket.io-client', [500, 2000], SECONDS, { GLOSS_DB: ':memory:' }),
  // Item 3's option: what per-message deflate costs the server (socket.io-client offers it, as browsers do).
  await fanout('Gloss, GLOSS_DEFLATE=on (on disk)', 'gloss', 'socket.io-client', [500, 2000], SECONDS, { GLOSS_DEFLATE: 'on' }),
];
const at500: Repeats = {
  rate: 500,
  glossLabel: 'Gloss (SQLite on disk)',
  pairs: [firstPair(results.fanout[0]!, results.fanout[1]!, 500), ...(await extraPairs(500, 'Gloss (SQLite on disk)', 'socket.io-client', SECONDS, EXTRA_PAIRS))],
};

// 1, high load: the light wire-protocol driver, so the driver is not what saturates first.
const SWEEP = [2000, 4000, 6000, 8000];
results.sweep = [
  await fanout('Gloss, light driver', 'gloss', 'light', SWEEP, SWEEP_SECONDS),
  await fanout('Gloss, light driver, batching off', 'gloss', 'light', SWEEP, SWEEP_SECONDS, { GLOSS_BATCH_WINDOW_MS: '0' }),
  await fanout('raw ws baseline', 'baseline', 'raw', SWEEP, SWEEP_SECONDS),
  // A reference, not a target (bench/baseline/socketio-relay.ts): plain Socket.IO on the same machine.
  await fanout('plain Socket.IO relay (reference)', 'socketio', 'light', SWEEP, SWEEP_SECONDS),
];
results.repeats = [
  at500,
  {
    rate: 4000,
    glossLabel: 'Gloss, light driver',
    pairs: [
      firstPair(results.sweep[0]!, results.sweep[2]!, 4000, results.sweep[3]!),
      ...(await extraPairs(4000, 'Gloss, light driver', 'light', SWEEP_SECONDS, EXTRA_PAIRS, true)),
    ],
  },
];

// 4: one busy page, 50 viewers (5 of them writing), 200 events/s.
// Judged over alternating on/off pairs like the ratio targets (bench/lib/batching.ts says why).
const busy = { clients: 50, pages: 1, sendersPerPage: 5 };
const batchOn = (pair = '') => fanout(`batching on (default ${configFromEnv({}).batchWindowMs} ms window)${pair}`, 'gloss', 'socket.io-client', [200], SECONDS, {}, busy);
const batchOff = (pair = '') => fanout(`batching off (GLOSS_BATCH_WINDOW_MS=0)${pair}`, 'gloss', 'socket.io-client', [200], SECONDS, { GLOSS_BATCH_WINDOW_MS: '0' }, busy);
results.batching = [await batchOn(), await batchOff()];
results.batchingPairs = [{ order: 'on first', on: results.batching[0]!.phases[0]!, off: results.batching[1]!.phases[0]! }];
/** Two more pairs, not four: each busy-page run takes ~17 s and the whole bench must stay under 15 minutes. A quick run keeps one, so that it exercises the alternating path. */
const BATCHING_EXTRA_PAIRS = QUICK ? 1 : 2;
for (let i = 0; i < BATCHING_EXTRA_PAIRS; i++) {
  const pair = `, pair ${i + 2}`;
  if (i % 2 === 0) {
    const off = (await batchOff(pair)).phases[0]!;
    results.batchingPairs.push({ order: 'off first', off, on: (await batchOn(pair)).phases[0]! });
  } else {
    const on = (await batchOn(pair)).phases[0]!;
    results.batchingPairs.push({ order: 'on first', on, off: (await batchOff(pair)).phases[0]! });
  }
}

// 2: idle connections.
const STEPS = QUICK ? [1000, 2000] : [5000, 10000];
results.capacity = [await capacity('gloss', STEPS), await capacity('baseline', STEPS)];

// 7: anchoring in real Chromium.
say('anchoring: 200 conversations on a ~500 KB page in Chromium');
try {
  results.anchoring = await measureAnchoring();
} catch (err) {
  say(`anchoring failed: ${(err as Error).message}`);
  results.anchoring = { error: (err as Error).message } as unknown as AnchoringResult;
}

// 6: end to end in real Chromium with the built extension (dist/chrome), two browsers.
say('end to end: two Chromium browsers with the extension, 20 creates, then 10 offline → reconnect rounds');
try {
  results.e2e = await measureEndToEnd({ rounds: 20, reconnectRounds: QUICK ? 3 : 10, log: (m) => say(`  ${m}`) });
} catch (err) {
  say(`end to end failed: ${(err as Error).message}`);
  results.e2e = { error: (err as Error).message };
}

// 8: the content script on a page of 1,000 and 5,000 conversations, in Chromium with the extension (about 60 s).
say('content script at scale: 1,000 and 5,000 conversations on the ~500 KB page, Chromium with the extension');
try {
  results.pageScale = await measurePageScale({ quick: QUICK, log: (m) => say(`  ${m}`) });
} catch (err) {
  say(`content script at scale failed: ${(err as Error).message}`);
  results.pageScale = { error: (err as Error).message };
}

if (results.machine.speedProbeMs) results.machine.speedProbeMs.end = speedProbeMs();
results.durationS = Math.round((Date.now() - started) / 1000);
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(path.join(resultsDir, jsonName), `${JSON.stringify(results, null, 2)}\n`);
const { table } = writeReport(results, path.join(ROOT, docName), `bench/results/${jsonName}`);
process.stdout.write(`\n${table}\n`);
say(`done: ${docName} and bench/results/${jsonName}`);
process.exit(0);
