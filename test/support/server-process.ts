import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
/**
 * The server runs as ONE node process with tsx as a loader (not under the `tsx` launcher, which would
 * be a second process): a SIGKILL then really kills the server, as a crash would.
 */
const SERVER_ARGS = ['--import', 'tsx', path.join(ROOT, 'server', 'main.ts')];

/** A secret the tests share with the servers they start, so they can sign tokens. */
export const TEST_SECRET = 'test-secret-of-at-least-thirty-two-characters';

export interface ServerProcess {
  /** The server's process id (the shell that set a file-size limit execs into the server). */
  pid: number;
  url: string;
  port: number;
  dbPath: string;
  /** Every stdout line the server printed so far (JSON log lines). */
  logs: string[];
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
  exited: Promise<number | null>;
}

/** A port nothing listens on (connecting to it fails at once), free for a server started on it later. */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

export function tempDbPath(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-test-')), 'gloss.sqlite');
}

/** What a server run to its end printed: its exit code, its JSON log lines, and anything on stderr (a stack trace). */
export interface ServerRun {
  code: number | null;
  lines: Record<string, unknown>[];
  stderr: string;
}

/**
 * `server/main.ts` as `npm run server` runs it (a random port, the tests' secret, `env` over them),
 * until it exits: the way to see a refused start. One that starts listening instead is killed.
 */
export function runServerToExit(env: Record<string, string>): Promise<ServerRun> {
  const child = spawn(process.execPath, SERVER_ARGS, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', GLOSS_SECRET: TEST_SECRET, GLOSS_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('"event":"listening"')) child.kill('SIGKILL');
  });
  return new Promise((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) })),
  );
}

/**
 * Spawns the real server (`server/main.ts`) on a random port with a temporary SQLite file (or the
 * given one, to restart on the same data) and resolves once it printed its `listening` line.
 */
export async function startServerProcess(opts: { env?: Record<string, string>; dbPath?: string; port?: number; fileSizeBlocks?: number } = {}): Promise<ServerProcess> {
  const dbPath = opts.dbPath ?? tempDbPath();
  // fileSizeBlocks: the largest file the server may write, in 512-byte blocks (RLIMIT_FSIZE, POSIX sh's
  // `ulimit -f`): a write past it fails as on a full disk, for any account, with no mount. Node ignores
  // SIGXFSZ, so the write returns an error to SQLite instead of ending the process. Only the soft
  // limit: a test can lift it from the running server (`prlimit --pid`), as an operator frees the disk.
  const [command, args] = opts.fileSizeBlocks === undefined
    ? [process.execPath, SERVER_ARGS]
    : ['/bin/sh', ['-c', `ulimit -S -f ${opts.fileSizeBlocks} && exec "$0" "$@"`, process.execPath, ...SERVER_ARGS]];
  const child: ChildProcess = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(opts.port ?? 0), GLOSS_DB: dbPath, GLOSS_SECRET: TEST_SECRET, GLOSS_LOG_LEVEL: 'debug', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<{ url: string; port: number }>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { event?: string; url?: string };
          if (entry.event === 'listening' && entry.url) resolve({ url: entry.url, port: Number(new URL(entry.url).port) });
        } catch {
          /* not a log line */
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const { url, port } = await listening.finally(() => clearTimeout(timeout));
  return {
    pid: child.pid!,
    url: url.replace('://localhost:', '://127.0.0.1:'),
    port,
    dbPath,
    logs,
    exited,
    kill: (signal = 'SIGKILL') => void child.kill(signal),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `npm run token`'s script for real and returns the token it printed. */
export async function issueToken(server: { dbPath: string }, args: { tenant: string; user: string; name: string; role?: 'member' | 'moderator'; expires?: string }): Promise<string> {
  const argv = ['--tenant', args.tenant, '--user', args.user, '--name', args.name, '--role', args.role ?? 'member'];
  if (args.expires !== undefined) argv.push('--expires', args.expires);
  const child = spawn(TSX, [path.join(ROOT, 'server', 'cli', 'token.ts'), ...argv], {
    cwd: ROOT,
    env: { ...process.env, GLOSS_DB: server.dbPath, GLOSS_SECRET: TEST_SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`token CLI failed (${code}): ${err}`);
  return out.trim();
}
