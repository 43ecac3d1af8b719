import type { FanoutConfig, PhaseResult } from './driver/main.js';
import { runDriver, startServer, type ServerKind } from './lib/proc.js';

/**
 * One fan-out configuration, for A/B comparisons while changing the server (not part of `npm run bench`):
 *   tsx bench/ab.ts <gloss|baseline|socketio> <socket.io-client|light|raw> <rates,comma> <seconds> [clients pages sendersPerPage] [KEY=VALUE …]
 * Prints one JSON line per phase.
 */
const [kind = 'gloss', client = 'socket.io-client', rates = '500,2000', seconds = '10', ...rest] = process.argv.slice(2);
const shapeArgs = rest.filter((a) => !a.includes('=')).map(Number);
const env = Object.fromEntries(rest.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
const [clients = 1000, pages = 100, sendersPerPage = 1] = shapeArgs;
const server = await startServer(kind as ServerKind, env);
try {
  const cfg: FanoutConfig = {
    scenario: 'fanout',
    client: client as FanoutConfig['client'],
    url: server.url,
    pid: server.pid,
    clients,
    pages,
    sendersPerPage,
    phases: rates.split(',').map((r) => ({ rate: Number(r), durationMs: Number(seconds) * 1000 })),
    warmupMs: 2000,
    drainMs: 3000,
    pauseMs: 1500,
  };
  const phases = await runDriver<PhaseResult[]>(cfg, 180_000);
  for (const p of phases) process.stdout.write(`${JSON.stringify({ kind, client, env, rate: p.rate, latencyMs: p.latencyMs, deliveredPerSec: p.deliveredPerSec, lost: p.lost, rejected: p.rejected + p.unacked, framesPerViewerPerSec: p.framesPerViewerPerSec, serverCpuPct: p.serverCpuPct, loopP99: p.serverEventLoopDelayMs.p99, driverCpuPct: p.driverCpuPct, othersCpuPct: p.othersCpuPct })}\n`);
} finally {
  await server.stop();
}
process.exit(0);
