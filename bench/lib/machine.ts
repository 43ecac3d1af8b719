import fs from 'node:fs';
import os from 'node:os';
import { fdLimit, pinning } from './proc.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  os: string;
  fdLimit: number;
  pinning: string;
  loadAverageAtStart: number[];
  /** speedProbeMs() at the start and the end of the run (absent in results of older runs). */
  speedProbeMs?: { start: number; end?: number };
  date: string;
}

/**
 * A fixed single-threaded workload (10 million square roots in a JavaScript loop), best of 3, in ms.
 * This machine is a VM on shared cores whose speed changes with the host's load: the same probe took
 * 43 ms on a quiet hour and 140–150 ms on a busy one, and every latency and CPU figure moves with it.
 */
export function speedProbeMs(): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    let x = 0;
    for (let i = 0; i < 1e7; i++) x += Math.sqrt(i);
    best = Math.min(best, performance.now() - t0 + (x < 0 ? 1 : 0));
  }
  return Math.round(best * 10) / 10;
}

export function machine(): Machine {
  const model = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model.trim(),
    cores: os.cpus().length,
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    fdLimit: fdLimit(),
    pinning: pinning.available ? `server on core ${pinning.server}, load driver on core ${pinning.driver} (taskset)` : 'none (taskset or a second core missing)',
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    speedProbeMs: { start: speedProbeMs() },
    date: new Date().toISOString(),
  };
}
