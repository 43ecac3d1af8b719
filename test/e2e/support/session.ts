import { afterAll, beforeAll } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../support/server-process.js';
import { closeAll, glossBrowser, type GlossBrowser } from './gloss-browser.js';
import { printLogsOnFailure } from './hooks.js';
import { startStaticServer, type StaticServer } from './static-server.js';

export interface GlossUser {
  kind: 'chromium' | 'firefox';
  label: string;
  name: string;
  options?: Parameters<typeof glossBrowser>[3];
}

export interface GlossSession {
  server: ServerProcess;
  pages: StaticServer;
  /** One browser per user, in the order given, each set up through its settings page. */
  browsers: GlossBrowser[];
}

/**
 * The set-up most end-to-end files share: the real server, the test pages, and one browser per user
 * with the extension pointed at that server. `ready` receives them once all are up; everything is
 * closed after the file, and a failed test prints the browsers' consoles.
 */
export function useGlossSession(users: GlossUser[], ready: (session: GlossSession) => void | Promise<void>): void {
  const session: Partial<GlossSession> = {};
  beforeAll(async () => {
    session.server = await startServerProcess();
    session.pages = await startStaticServer();
    const launched = await Promise.allSettled(users.map((u) => glossBrowser(u.kind, u.label, { serverUrl: session.server!.url, name: u.name }, u.options)));
    session.browsers = launched.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = launched.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    await ready(session as GlossSession);
  });
  afterAll(async () => {
    await closeAll(...(session.browsers ?? []), session.pages);
    await session.server?.stop();
  });
  printLogsOnFailure(() => session.browsers ?? []);
}

/** Two Chromium users, the pair most scenarios need. */
export const ALICE_AND_BOB: GlossUser[] = [
  { kind: 'chromium', label: 'A', name: 'Alice' },
  { kind: 'chromium', label: 'B', name: 'Bob' },
];

/** One user in each browser, for what must hold in Chromium and Firefox ESR alike (browsers[0], browsers[1]). */
export const CHROMIUM_AND_FIREFOX: GlossUser[] = [
  { kind: 'chromium', label: 'H', name: 'Hana' },
  { kind: 'firefox', label: 'I', name: 'Ines' },
];
