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
  date: string;
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
    date: new Date().toISOString(),
  };
}
