import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import { contentScriptConfig, extensionConfig, type TargetBrowser } from '../vite.config.js';

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
    content_scripts?: { js?: string[] }[];
    web_accessible_resources?: unknown;
  };
  await ownContentScript(browser, manifest);
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

/**
 * The content script as one classic script (`content.js`) instead of @crxjs's loader, which imports
 * the real script as a module from a web-accessible resource. Web-accessible files can be fetched by
 * every page at a fixed address (Chrome's `use_dynamic_url` breaks that loader since Chrome 130), so
 * any site could tell that Gloss is installed. A classic script needs none: the manifest keeps no
 * `web_accessible_resources` (test/e2e/isolation.test.ts checks a page cannot load our files).
 */
async function ownContentScript(browser: TargetBrowser, manifest: { content_scripts?: { js?: string[] }[]; web_accessible_resources?: unknown }): Promise<void> {
  const outDir = path.join(root, 'dist', browser);
  await build({ ...contentScriptConfig(browser), configFile: false });
  const scripts = manifest.content_scripts ?? [];
  if (scripts.length !== 1 || scripts[0]!.js?.length !== 1) throw new Error(`dist/${browser}/manifest.json: expected one content script with one file`);
  const loader = scripts[0]!.js[0]!;
  scripts[0]!.js = ['content.js'];
  // The root manifest.json declares no web-accessible resource: every one here is the loader's.
  delete manifest.web_accessible_resources;
  await rm(path.join(outDir, loader));
  await rm(path.join(outDir, `${loader}.map`), { force: true });
  const assets = await readdir(path.join(outDir, 'assets'));
  for (const file of assets.filter((f) => f.startsWith('extension-content-index.tsx-'))) await rm(path.join(outDir, 'assets', file));
}

for (const browser of ['chrome', 'firefox'] as const) await buildFor(browser);
