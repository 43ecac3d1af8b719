import { performance } from 'node:perf_hooks';
import { cpuSeconds, machineBusySeconds, rssBytes, serverStats, type LoopStats } from '../lib/proc.js';
import { distribution, round, type Distribution } from '../lib/stats.js';
import { connectMany, type ClientKind, type Peer } from './clients.js';
import { driverId } from './ids.js';

/**
 * The load driver: a process of its own (pinned to the other core by bench/run.ts), so its CPU is
 * not the server's. It gets its scenario as JSON in BENCH_CONFIG and prints one `RESULT {json}` line.
 */

interface Target {
  url: string;
  pid: number;
}

export interface FanoutConfig extends Target {
  scenario: 'fanout';
  client: ClientKind;
  clients: number;
  pages: number;
  /** Senders per page (each a viewer too); they take turns. */
  sendersPerPage: number;
  phases: { rate: number; durationMs: number }[];
  /**
   * Load at the phase's rate before its measured window, not recorded: without it the first phase
   * measured the servers' warm-up (JIT, first statements), which put 90 % of its > 5 ms deliveries
   * in its first 500 ms. The load runs on without a gap into the window.
   */
  warmupMs?: number;
  drainMs: number;
  pauseMs: number;
}

export interface CapacityConfig extends Target {
  scenario: 'capacity';
  client: 'light' | 'raw';
  steps: number[];
  clientsPerPage: number;
  settleMs: number;
}

export interface PhaseResult {
  rate: number;
  durationMs: number;
  sent: number;
  acked: number;
  rejected: number;
  unacked: number;
  expected: number;
  delivered: number;
  lost: number;
  deliveredPerSec: number;
  framesPerViewerPerSec: number;
  latencyMs: Distribution;
  serverCpuPct: number;
  serverEventLoopDelayMs: LoopStats['eventLoopDelayMs'];
  serverRssMB: number;
  driverCpuPct: number;
  /** CPU taken by every other process on the machine meanwhile (other work sharing the cores), in % of one core. */
  othersCpuPct: number;
}

export interface CapacityStep {
  connections: number;
  connected: number;
  stillOpen: number;
  serverRssMB: number;
  rssPerConnectionKB: number;
  heapPerConnectionKB: number;
  connectMs: number;
  driverRssMB: number;
}

const config = JSON.parse(process.env.BENCH_CONFIG ?? '{}') as FanoutConfig | CapacityConfig;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stdout.write(`${msg}\n`);

interface Pending {
  t0: number;
  sender: Peer;
  remaining: number;
  /** Sent in the measured window (not in the warm-up). */
  measured: boolean;
}

async function fanout(cfg: FanoutConfig): Promise<PhaseResult[]> {
  const pending = new Map<string, Pending>();
  const capacity = Math.ceil(Math.max(...cfg.phases.map((p) => p.rate * (p.durationMs / 1000))) * (cfg.clients / cfg.pages) * 1.1) + 1000;
  const latencies = new Float64Array(capacity);
  let n = 0;
  let deliveredInWindow = 0;
  let inWindow = false;
  let delivered = 0;
  let lateOrUnknown = 0;
  const onDelivery = (peer: Peer, broadcastId: string) => {
    const p = pending.get(broadcastId);
    if (!p) return void lateOrUnknown++;
    if (p.sender === peer) return; // its own event, inside a batch frame: clients drop those
    if (--p.remaining === 0) pending.delete(broadcastId);
    if (!p.measured) return;
    if (n < capacity) latencies[n++] = performance.now() - p.t0;
    delivered++;
    if (inWindow) deliveredInWindow++;
  };

  const t0 = performance.now();
  const peers = await connectMany(cfg.client, cfg.url, cfg.clients, cfg.pages, onDelivery, cfg.client === 'socket.io-client' ? 32 : 64);
  log(`${cfg.client}: ${peers.length} clients on ${cfg.pages} pages connected in ${Math.round(performance.now() - t0)} ms`);
  const byPage: Peer[][] = Array.from({ length: cfg.pages }, () => []);
  for (const p of peers) byPage[p.page]!.push(p);
  const viewersOf = (page: number) => byPage[page]!.length;
  // The first fetch() of a process loads and compiles Node's HTTP client (undici): ~40 ms with the
  // event loop blocked. Made here, outside every phase, the request at each window start is a warm one.
  await serverStats(cfg.url, false);
  await sleep(1000); // presence messages of the joins settle

  const results: PhaseResult[] = [];
  for (const phase of cfg.phases) {
    pending.clear();
    n = 0;
    delivered = 0;
    deliveredInWindow = 0;
    lateOrUnknown = 0;
    let sent = 0;
    let acked = 0;
    let rejected = 0;
    let expected = 0;
    // Open loop: every millisecond, send whatever the schedule says is due, round-robin over pages.
    // Warm-up and window are ONE schedule: the window opens at a send, without a pause in the load,
    // and nothing the driver does at that moment waits (the server's stats reset is a request left in
    // flight). Stopping the load at the boundary to await that request put the driver's own stall
    // into the first 300 ms of the window: 50-200 ms at 4,000 events/s, which alone made the raw ws
    // baseline's p99 20-48 ms instead of 7-14 ms (docs/benchmarks.md, "Reading these figures").
    let serverCpu0 = 0;
    let driverCpu0 = process.cpuUsage();
    let machine0 = 0;
    let start = 0;
    let reset: Promise<unknown> = Promise.resolve();
    const openWindow = () => {
      for (const p of peers) p.frames = 0;
      reset = serverStats(cfg.url, true);
      // Awaited after the window: marked handled now so a failure surfaces there, not as an unhandled rejection mid-load.
      reset.catch(() => undefined);
      serverCpu0 = cpuSeconds(cfg.pid);
      driverCpu0 = process.cpuUsage();
      machine0 = machineBusySeconds();
      start = performance.now();
      inWindow = true;
    };
    await new Promise<void>((resolve) => {
      const from = performance.now();
      const warm = Math.round((phase.rate * (cfg.warmupMs ?? 0)) / 1000);
      const total = warm + Math.round((phase.rate * phase.durationMs) / 1000);
      let count = 0;
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - from) / 1000) * phase.rate));
        for (; count < due; count++) {
          const page = count % cfg.pages;
          const senders = byPage[page]!;
          const sender = senders[Math.floor(count / cfg.pages) % Math.min(cfg.sendersPerPage, senders.length)]!;
          const measured = count >= warm;
          if (count === warm) openWindow();
          // The create's id (and broadcastId), time-ordered as the extension makes them (protocol/ids.ts).
          const broadcastId = driverId();
          const entry: Pending = { t0: performance.now(), sender, remaining: viewersOf(page) - 1, measured };
          pending.set(broadcastId, entry);
          if (!measured) {
            sender.send(broadcastId, () => undefined);
            continue;
          }
          expected += entry.remaining;
          sent++;
          sender.send(broadcastId, (ok) => {
            if (ok) return void acked++;
            rejected++;
            expected -= entry.remaining;
            pending.delete(broadcastId);
          });
        }
        if (count >= total) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    const elapsed = performance.now() - start;
    inWindow = false;
    const serverCpu = cpuSeconds(cfg.pid) - serverCpu0;
    const driverCpu = process.cpuUsage(driverCpu0);
    const machine = machineBusySeconds() - machine0;
    await reset;
    const stats = await serverStats(cfg.url, false);
    const deliveredWindow = deliveredInWindow;
    // Drain: wait (bounded) for deliveries still in flight.
    const drainStart = performance.now();
    while (pending.size > 0 && performance.now() - drainStart < cfg.drainMs) await sleep(20);
    const lost = [...pending.values()].reduce((s, p) => s + (p.measured ? p.remaining : 0), 0);
    const receivers = peers.length;
    results.push({
      rate: phase.rate,
      durationMs: Math.round(elapsed),
      sent,
      acked: cfg.client === 'raw' ? sent : acked,
      rejected,
      unacked: cfg.client === 'raw' ? 0 : sent - acked - rejected,
      expected,
      delivered,
      lost,
      deliveredPerSec: Math.round(deliveredWindow / (elapsed / 1000)),
      framesPerViewerPerSec: round(peers.reduce((s, p) => s + p.frames, 0) / receivers / (elapsed / 1000), 1),
      latencyMs: distribution(latencies, n),
      serverCpuPct: round((serverCpu / (elapsed / 1000)) * 100, 1),
      serverEventLoopDelayMs: stats.eventLoopDelayMs,
      serverRssMB: round(stats.rss / 2 ** 20, 1),
      driverCpuPct: round(((driverCpu.user + driverCpu.system) / 1000 / elapsed) * 100, 1),
      othersCpuPct: round(Math.max(0, (machine - serverCpu - (driverCpu.user + driverCpu.system) / 1e6) / (elapsed / 1000)) * 100, 1),
    });
    const r = results[results.length - 1]!;
    log(
      `${cfg.client} ${phase.rate}/s: p50 ${r.latencyMs.p50} p99 ${r.latencyMs.p99} max ${r.latencyMs.max} ms, ${r.deliveredPerSec} deliveries/s, lost ${lost}, rejected ${rejected}, server CPU ${r.serverCpuPct}%, driver CPU ${r.driverCpuPct}%, others ${r.othersCpuPct}%`,
    );
    if (lateOrUnknown > 0) log(`  (${lateOrUnknown} deliveries arrived after their broadcast was settled)`);
    await sleep(cfg.pauseMs);
  }
  for (const p of peers) p.close();
  return results;
}

async function capacity(cfg: CapacityConfig): Promise<{ baselineRssMB: number; baselineHeapMB: number; steps: CapacityStep[] }> {
  const before = await serverStats(cfg.url, false);
  const rss0 = rssBytes(cfg.pid);
  const steps: CapacityStep[] = [];
  const peers: Peer[] = [];
  for (const target of cfg.steps) {
    const t0 = performance.now();
    const pages = Math.ceil(target / cfg.clientsPerPage);
    // Peers already open keep their pages; the new ones continue the numbering.
    const more = await connectMany(cfg.client, cfg.url, target - peers.length, pages, () => {}, 100);
    peers.push(...more);
    const connectMs = performance.now() - t0;
    await sleep(cfg.settleMs);
    const stats = await serverStats(cfg.url, false);
    const rss = rssBytes(cfg.pid);
    const open = peers.filter((p) => p.open()).length;
    steps.push({
      connections: target,
      connected: peers.length,
      stillOpen: open,
      serverRssMB: round(rss / 2 ** 20, 1),
      rssPerConnectionKB: round((rss - rss0) / 1024 / peers.length, 1),
      heapPerConnectionKB: round((stats.heapUsed - before.heapUsed) / 1024 / peers.length, 1),
      connectMs: Math.round(connectMs),
      driverRssMB: round(process.memoryUsage().rss / 2 ** 20, 1),
    });
    log(`${cfg.client}: ${open}/${target} connections open, server RSS ${steps[steps.length - 1]!.serverRssMB} MB (${steps[steps.length - 1]!.rssPerConnectionKB} KB each)`);
  }
  for (const p of peers) p.close();
  return { baselineRssMB: round(rss0 / 2 ** 20, 1), baselineHeapMB: round(before.heapUsed / 2 ** 20, 1), steps };
}

const result = config.scenario === 'fanout' ? await fanout(config) : await capacity(config);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
