import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../support/server-process.js';

export type BrowserName = 'chrome' | 'firefox';

export function distPath(browser: BrowserName): string {
  return path.join(ROOT, 'dist', browser);
}

/**
 * A private copy of dist/<browser> for one browser launch. The build empties dist/ while it writes,
 * so a rebuild during a run (another terminal, `npm test`'s own build step) cannot pull files out
 * from under a running browser. Fails with the command to run when there is no build.
 */
export function snapshotDist(browser: BrowserName): string {
  const source = distPath(browser);
  const manifest = path.join(source, 'manifest.json');
  if (!fs.existsSync(manifest)) {
    throw new Error(`No extension build at ${source} (missing manifest.json). Run \`npm run build\` first: the e2e tests load dist/chrome and dist/firefox.`);
  }
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `gloss-e2e-${browser}-`)), 'extension');
  fs.cpSync(source, target, { recursive: true });
  // A build caught half-written (or a broken one) fails here, by name, rather than as a browser timeout.
  const m = readManifest(target) as { background?: { service_worker?: string; scripts?: string[] }; content_scripts?: { js?: string[] }[]; action?: { default_popup?: string } };
  const referenced = [m.background?.service_worker, ...(m.background?.scripts ?? []), ...(m.content_scripts ?? []).flatMap((c) => c.js ?? []), m.action?.default_popup];
  const missing = referenced.filter((f): f is string => typeof f === 'string' && !fs.existsSync(path.join(target, f)));
  if (missing.length > 0) {
    removeTemp(path.dirname(target));
    throw new Error(`${source}/manifest.json refers to missing files: ${missing.join(', ')}. Run \`npm run build\` again.`);
  }
  return target;
}

export function readManifest(dir: string): Record<string, unknown> & { browser_specific_settings?: { gecko?: { id?: string } } } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
}

/** Removes a temporary directory the run made (profiles, dist copies); never anything else. */
export function removeTemp(dir: string | undefined): void {
  if (!dir || !path.resolve(dir).startsWith(os.tmpdir() + path.sep)) return;
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Launches a browser on a private copy of the build and a fresh profile, and gives back a `close`
 * that also removes both; if the launch fails, both are removed at once.
 */
export async function launchWithTemps<B extends { close(): Promise<void>; process(): { kill(signal: NodeJS.Signals): boolean } | null }>(
  extensionDir: string,
  profile: string,
  launch: () => Promise<B>,
): Promise<{ browser: B; close(): Promise<void> }> {
  const cleanup = () => {
    removeTemp(path.dirname(extensionDir));
    removeTemp(profile);
  };
  let browser: B;
  try {
    browser = await launch();
  } catch (e) {
    cleanup();
    throw e;
  }
  return {
    browser,
    async close() {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      cleanup();
    },
  };
}
