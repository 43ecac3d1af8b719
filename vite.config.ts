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

/**
 * One Vite build of the extension for one browser. @crxjs rewrites `background` to the key the
 * target browser uses and drops Firefox-unsupported fields, so each browser gets its own build
 * (scripts/build-extension.ts runs both and writes dist/chrome and dist/firefox).
 */
export function extensionConfig(browser: TargetBrowser): UserConfig {
  return {
    // Paths in the manifest are relative to the repository root.
    root: import.meta.dirname,
    publicDir: false,
    logLevel: 'warn',
    plugins: [noFunctionConstructor(), crx({ manifest: manifest as ManifestV3Export, browser, liveReload: false })],
    // Vite's built-in (oxc) JSX transform; preact's automatic runtime, as tsconfig.json says.
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      // Extension pages and the worker run in current browsers only: no legacy transforms.
      target: ['chrome120', 'firefox128'],
      sourcemap: true,
      minify: false,
      chunkSizeWarningLimit: 1024,
    },
  };
}

/**
 * The content script alone, as one classic script (an IIFE) written next to the @crxjs build as
 * `content.js` (see scripts/build-extension.ts, ownContentScript, for why).
 */
export function contentScriptConfig(browser: TargetBrowser): UserConfig {
  return {
    root: import.meta.dirname,
    publicDir: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: false,
      target: ['chrome120', 'firefox128'],
      sourcemap: true,
      minify: false,
      lib: { entry: 'extension/content/index.tsx', formats: ['iife'], name: 'glossContent', fileName: () => 'content.js' },
    },
  };
}

export default defineConfig(extensionConfig(process.env.GLOSS_BROWSER === 'firefox' ? 'firefox' : 'chrome'));
