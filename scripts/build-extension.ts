import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import rootManifest from '../manifest.json' with { type: 'json' };
import { CONTENT_SCRIPT_FILES, contentScriptConfig, extensionConfig, type TargetBrowser } from '../vite.config.js';

type ContentScript = { js?: string[] } & Record<string, unknown>;

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
    content_scripts?: ContentScript[];
    web_accessible_resources?: unknown;
  };
  await ownContentScripts(browser, manifest);
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
 * Each content script as one classic script (`content.js`, `main-world.js`: CONTENT_SCRIPT_FILES)
 * instead of @crxjs's loader, which imports the real script as a module from a web-accessible
 * resource. Web-accessible files can be fetched by every page at a fixed address (Chrome's
 * `use_dynamic_url` breaks that loader since Chrome 130), so any site could tell that Gloss is
 * installed; and a page-world script loaded that way would run after the page's first scripts. A
 * classic script needs none: @crxjs never sees the content scripts (extensionConfig), they are
 * written into the manifest here as manifest.json declares them, and the manifest keeps no
 * `web_accessible_resources` (test/e2e/isolation.test.ts checks a page cannot load our files).
 */
async function ownContentScripts(browser: TargetBrowser, built: { content_scripts?: ContentScript[]; web_accessible_resources?: unknown }): Promise<void> {
  const declared = (rootManifest as { content_scripts?: ContentScript[] }).content_scripts ?? [];
  built.content_scripts = [];
  for (const script of declared) {
    const js: string[] = [];
    for (const entry of script.js ?? []) {
      await build({ ...contentScriptConfig(browser, entry), configFile: false });
      js.push(CONTENT_SCRIPT_FILES[entry]!);
    }
    built.content_scripts.push({ ...script, js });
  }
  if (built.web_accessible_resources !== undefined) throw new Error(`dist/${browser}/manifest.json: web_accessible_resources appeared; no page may fetch our files`);
}

for (const browser of ['chrome', 'firefox'] as const) await buildFor(browser);
