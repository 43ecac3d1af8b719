import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import { extensionConfig, type TargetBrowser } from '../vite.config.js';

/**
 * Builds dist/chrome and dist/firefox from the one root manifest.json.
 *
 * @crxjs leaves only the background key of its target browser, which is what we want: Chrome gets
 * `service_worker` (it warns about `scripts`), Firefox gets `scripts` (it does not run MV3 service
 * workers). Then each manifest is checked for the things the browsers silently get wrong.
 */
const root = path.resolve(import.meta.dirname, '..');

async function buildFor(browser: TargetBrowser): Promise<void> {
  await build({ ...extensionConfig(browser), configFile: false });
  const manifestPath = path.join(root, 'dist', browser, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown> & {
    background?: { service_worker?: string; scripts?: string[]; type?: string };
    browser_specific_settings?: unknown;
  };
  const background = manifest.background ?? {};
  if (browser === 'chrome') {
    if (!background.service_worker) throw new Error('dist/chrome/manifest.json has no background.service_worker');
    manifest.background = { service_worker: background.service_worker, type: 'module' };
    // Chrome warns about keys it does not know; gecko settings are Firefox's alone.
    delete manifest.browser_specific_settings;
  } else {
    const script = background.scripts?.[0] ?? background.service_worker;
    if (!script) throw new Error('dist/firefox/manifest.json has no background script');
    manifest.background = { scripts: [script], type: 'module' };
  }
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`built dist/${browser} (background: ${JSON.stringify(manifest.background)})`);
}

for (const browser of ['chrome', 'firefox'] as const) await buildFor(browser);
