import { afterAll, beforeAll } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { startWorker, type TestWorker } from './worker.js';

/**
 * The real server for a test file, started before its tests and stopped after them, with the test
 * workers started on it (`worker`, as startWorker) stopped first.
 */
export function useServerWithWorkers(env?: Record<string, string>) {
  let server: ServerProcess | undefined;
  const workers: TestWorker[] = [];
  beforeAll(async () => {
    server = await startServerProcess(env ? { env } : {});
  });
  afterAll(async () => {
    for (const w of workers) w.stop();
    await server?.stop();
  });
  return {
    server: (): ServerProcess => server!,
    worker: (...args: Parameters<typeof startWorker>): TestWorker => {
      const w = startWorker(...args);
      workers.push(w);
      return w;
    },
  };
}
