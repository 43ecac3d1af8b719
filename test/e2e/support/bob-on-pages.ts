import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { normalizePageUrl } from '../../../protocol/url.js';
import { connect, recorder, request, type TestSocket } from '../../support/clients.js';
import { startServerProcess, type ServerProcess } from '../../support/server-process.js';
import { closeAll, type GlossBrowser } from './gloss-browser.js';
import { printLogsOnFailure } from './hooks.js';
import { startStaticServer, type StaticServer } from './static-server.js';
import { WAIT_MS } from './gloss-ui.js';

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
  /** Bob's presence counts for one page since event `from`, in the order he heard them. */
  countsFor(url: string, from?: number): number[];
  /** Waits until Bob, since event `from`, hears `viewers` on the page of `url`. */
  hears(url: string, viewers: number, from: number, what: string): Promise<void>;
  /** Bob starts a conversation on `quote` of the page of `url`; its id. */
  seed(url: string, quote: string, text: string): Promise<string>;
}

function presenceOf(ctx: BobOnPages, url: string, from: number) {
  const key = normalizePageUrl(url);
  return ctx.heard.events.slice(from).filter((e) => e.event === 'presence' && e.payload.pageKey === key);
}

/** The real server, the test pages and Bob for a whole test file, set up before its tests and torn down after. */
export function useBobOnPages(): BobOnPages {
  const ctx = {
    browsers: [] as GlossBrowser[],
    countsFor: (url: string, from = 0) => presenceOf(ctx, url, from).map((e) => e.payload.viewers as number),
    hears: (url: string, viewers: number, from: number, what: string) => ctx.heard.until(() => ctx.countsFor(url, from).includes(viewers), WAIT_MS, what),
    async seed(url: string, quote: string, text: string) {
      const id = randomUUID();
      const answer = await request(ctx.bob, 'text-chat:create', {
        broadcastId: randomUUID(),
        chat: { id, url, target: { selector: [{ type: 'TextQuoteSelector', exact: quote, prefix: '', suffix: '' }] }, text },
      });
      expect(answer.ok, JSON.stringify(answer)).toBe(true);
      return id;
    },
  } as BobOnPages;
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
