import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH_SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && os.cpus().length >= 2;
const HAS_PRLIMIT = spawnSync('prlimit', ['--nofile=1024', 'true']).status === 0;

/** Server on core 0, load driver on core 1, when the machine has two cores and taskset. */
export const pinning = { available: HAS_TASKSET, server: '0', driver: '1' };

/** `prlimit` raises the soft fd limit to the hard one (what an unprivileged shell's `ulimit -n` can do too). */
export function fdLimit(): number {
  const out = spawnSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return out === 'unlimited' ? 1_048_576 : Number(out);
}

/** `node --import tsx <script>`: what `tsx <script>` runs, without tsx's wrapper process, so the pid is the server. */
function command(script: string, core: string | null, profileDir?: string): string[] {
  const node = [process.execPath, '--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), script];
  const limited = HAS_PRLIMIT ? ['prlimit', `--nofile=${fdLimit()}:${fdLimit()}`, ...node] : node;
  return core !== null && HAS_TASKSET ? ['taskset', '-c', core, ...limited] : limited;
}

/** Gloss, the raw `ws` baseline (the bound of the ratio targets), or plain Socket.IO (a reference beside them). */
export type ServerKind = 'gloss' | 'baseline' | 'socketio';

const SCRIPTS: Record<ServerKind, string[]> = {
  gloss: ['server', 'main.ts'],
  baseline: ['bench', 'baseline', 'ws-relay.ts'],
  socketio: ['bench', 'baseline', 'socketio-relay.ts'],
};

export interface ServerHandle {
  kind: ServerKind;
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** Starts one server of the benchmark as its own process and waits for its `listening` line. */
export async function startServer(kind: ServerKind, env: Record<string, string> = {}): Promise<ServerHandle> {
  const script = path.join(ROOT, ...SCRIPTS[kind]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-'));
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server on exit (for `node --cpu-prof` studies).
  const [bin, ...args] = command(script, pinning.server, process.env.BENCH_CPU_PROF || undefined);
  const child: ChildProcess = spawn(bin!, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      GLOSS_DB: path.join(dir, 'gloss.sqlite'),
      GLOSS_SECRET: BENCH_SECRET,
      GLOSS_BENCH_STATS: '1',
      // The benchmark measures the real-time path, not the abuse limits: raise them out of the way.
      GLOSS_RATE_PER_SECOND: '1000000',
      GLOSS_RATE_BURST: '1000000',
      // Every client of the driver comes from 127.0.0.1: the per-address cap (500) would turn the
      // 1,000 and 10,000 away.
      GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '0',
      GLOSS_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()).length > 20_000 && (stderr = stderr.slice(-10_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    let found = false;
    // Every later line (one per connection at info level) is read and dropped, so the pipe never blocks.
    child.stdout!.on('data', (chunk: Buffer) => {
      if (found) return;
      buffer += chunk.toString();
      const m = /"event":"listening".*?"url":"([^"]+)"/.exec(buffer);
      if (m) {
        found = true;
        resolve(m[1]!.replace('://localhost:', '://127.0.0.1:'));
      }
    });
    void exited.then(() => reject(new Error(`${kind} server exited before listening:\n${stderr}`)));
    setTimeout(() => reject(new Error(`${kind} server did not listen within 30 s`)), 30_000).unref();
  });
  return {
    kind,
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at field 3 (state): utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size in bytes, from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export interface LoopStats {
  windowMs: number;
  eventLoopDelayMs: { samples: number; p50: number; p99: number; max: number; mean: number };
  rss: number;
  heapUsed: number;
}

export async function serverStats(url: string, reset: boolean): Promise<LoopStats> {
  const res = await fetch(`${url}/debug/stats${reset ? '?reset=1' : ''}`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`/debug/stats answered ${res.status}`);
  return (await res.json()) as LoopStats;
}

/** Runs a driver scenario in its own process (pinned to the other core) and returns the JSON it prints. */
export async function runDriver<T>(config: object, timeoutMs: number): Promise<T> {
  // BENCH_DRIVER_PROF=<dir>: a V8 CPU profile of the load driver too (is the driver what adds the tail?).
  const [bin, ...args] = command(path.join(ROOT, 'bench', 'driver', 'main.ts'), pinning.driver, process.env.BENCH_DRIVER_PROF || undefined);
  const child = spawn(bin!, args, { cwd: ROOT, env: { ...process.env, BENCH_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    let nl;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as T;
      else if (line.trim()) process.stdout.write(`    ${line}\n`);
    }
  });
  let result: T | undefined;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (result === undefined) throw new Error(`driver exited (${code}) without a result`);
  return result;
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat: to show how much others took. */
export function machineBusySeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  return (v[0]! + v[1]! + v[2]! + v[5]! + v[6]! + v[7]!) / CLOCK_TICKS;
}
