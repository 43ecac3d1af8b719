import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };

export type TargetBrowser = 'chrome' | 'firefox';

/**
 * engine.io-client finds the global object with `Function("return this")()` when neither `self`
 * nor `window` exists. That never happens in a browser, but it is an eval to the extension CSP
 * and to web-ext lint (DANGEROUS_EVAL): `globalThis` says the same without one.
 */
function noFunctionConstructor(): Plugin {
  return {
    name: 'gloss:no-function-constructor',
    transform(code, id) {
      if (!id.includes('engine.io-client') || !code.includes('Function("return this")()')) return null;
      return { code: code.replaceAll('Function("return this")()', 'globalThis'), map: null };
    },
  };
}

/** What both builds of one browser share: sources, JSX, output folder and targets. */
function common(browser: TargetBrowser, build: UserConfig['build']): UserConfig {
  return {
    // Paths in the manifest are relative to the repository root.
    root: import.meta.dirname,
    publicDir: false,
    logLevel: 'warn',
    // Vite's built-in (oxc) JSX transform; preact's automatic runtime, as tsconfig.json says.
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: `dist/${browser}`,
      // Extension pages, the worker and the content script run in current browsers only: no legacy transforms.
      target: ['chrome120', 'firefox128'],
      sourcemap: true,
      minify: false,
      ...build,
    },
  };
}

/**
 * The file each content script of manifest.json is built into, as one classic script (an IIFE) of
 * its own (see scripts/build-extension.ts, ownContentScripts, for why): the isolated-world script
 * and the page-world one (extension/main-world/, which must not share a chunk with anything).
 */
export const CONTENT_SCRIPT_FILES: Readonly<Record<string, string>> = {
  'extension/content/index.tsx': 'content.js',
  'extension/main-world/index.ts': 'main-world.js',
};

/**
 * One Vite build of the extension for one browser. @crxjs rewrites `background` to the key the
 * target browser uses and drops Firefox-unsupported fields, so each browser gets its own build
 * (scripts/build-extension.ts runs both and writes dist/chrome and dist/firefox). It is given the
 * manifest without its content scripts, which are built apart (contentScriptConfig).
 */
export function extensionConfig(browser: TargetBrowser): UserConfig {
  const { content_scripts: _builtApart, ...rest } = manifest;
  return {
    ...common(browser, { emptyOutDir: true, chunkSizeWarningLimit: 1024 }),
    plugins: [noFunctionConstructor(), crx({ manifest: rest as ManifestV3Export, browser, liveReload: false })],
  };
}

/** One content script (`entry`, a key of CONTENT_SCRIPT_FILES) alone, written next to the @crxjs build. */
export function contentScriptConfig(browser: TargetBrowser, entry: string): UserConfig {
  const fileName = CONTENT_SCRIPT_FILES[entry];
  if (!fileName) throw new Error(`manifest.json: no output file named for the content script ${entry} (CONTENT_SCRIPT_FILES in vite.config.ts)`);
  return common(browser, {
    emptyOutDir: false,
    lib: { entry, formats: ['iife'], name: 'glossContent', fileName: () => fileName },
  });
}

export default defineConfig(extensionConfig(process.env.GLOSS_BROWSER === 'firefox' ? 'firefox' : 'chrome'));
