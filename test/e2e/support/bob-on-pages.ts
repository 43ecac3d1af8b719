import { afterAll, beforeAll } from 'vitest';
import { connect, recorder, type TestSocket } from '../../support/clients.js';
import { startServerProcess, type ServerProcess } from '../../support/server-process.js';
import { closeAll, type GlossBrowser } from './gloss-browser.js';
import { printLogsOnFailure } from './hooks.js';
import { startStaticServer, type StaticServer } from './static-server.js';

export interface BobOnPages {
  server: ServerProcess;
  /** The test pages (test/e2e/pages), served over http. */
  pages: StaticServer;
  /**
   * A plain socket.io client named Bob: what he hears is exactly what the server thinks the
   * browsers' tabs are reading, without a second browser to start.
   */
  bob: TestSocket;
  heard: ReturnType<typeof recorder>;
  /** Browsers the file starts; closed after it, and their logs printed when a test fails. */
  browsers: GlossBrowser[];
}

/** The real server, the test pages and Bob for a whole test file, set up before its tests and torn down after. */
export function useBobOnPages(): BobOnPages {
  const ctx = { browsers: [] as GlossBrowser[] } as BobOnPages;
  beforeAll(async () => {
    ctx.server = await startServerProcess();
    ctx.pages = await startStaticServer();
    ctx.bob = (await connect(ctx.server.url, { name: 'Bob' })).socket;
    ctx.heard = recorder(ctx.bob);
  });
  afterAll(async () => {
    ctx.bob?.close();
    await closeAll(...ctx.browsers, ctx.pages);
    await ctx.server?.stop();
  });
  printLogsOnFailure(() => ctx.browsers);
  return ctx;
}
