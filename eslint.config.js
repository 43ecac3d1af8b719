import tseslint from 'typescript-eslint';

/**
 * Import boundaries, enforced (darkreader-style):
 * - protocol/ is the wire contract: it imports nothing of the project but itself.
 * - server/ never imports extension code; extension code never imports server/.
 * - extension/content/ never imports background/ or popup/, and the reverse.
 * - content/anchoring/ is host-page code: no UI, no messaging.
 * - main-world/ runs in the page's own world: it imports nothing but its own folder.
 */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'bench/results/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['protocol/**'],
    rules: restrict([
      { group: ['**/server/**', '**/extension/**', 'socket.io', 'socket.io-client', 'better-sqlite3', 'preact', 'preact/*'], message: 'protocol/ is the contract: it depends on nothing of either side.' },
    ]),
  },
  {
    files: ['server/**'],
    rules: restrict([{ group: ['**/extension/**', 'preact', 'preact/*', 'webextension-polyfill', 'idb'], message: 'The server never imports extension code.' }]),
  },
  {
    files: ['extension/**'],
    rules: restrict([{ group: ['**/server/**', 'better-sqlite3', 'socket.io'], message: 'The extension never imports server code.' }]),
  },
  {
    // What people write reaches pages as text only. Preact's own code assigns innerHTML for the
    // dangerouslySetInnerHTML prop (web-ext lint's UNSAFE_VAR_ASSIGNMENT warnings on content.js and the
    // popup chunk): with no such prop and no HTML sinks of our own, no path leads there.
    files: ['extension/**/*.ts', 'extension/**/*.tsx'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Render text, never HTML: annotation text, names and quotes come from anyone.' }],
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'srcdoc'].map((property) => ({ property, message: 'Render text, never HTML: annotation text, names and quotes come from anyone.' })),
      ],
    },
  },
  {
    files: ['extension/content/**'],
    rules: restrict([
      { group: ['**/background/**', '**/popup/**', '**/shared/**', '**/server/**', 'socket.io-client', 'better-sqlite3', 'socket.io'], message: 'content/ talks to the background only through its port; settings and secrets are not its to read.' },
    ]),
  },
  {
    files: ['extension/content/anchoring/**'],
    rules: restrict([
      { group: ['preact', 'preact/*', 'webextension-polyfill', '**/ui/**', '**/background/**', '**/popup/**', '**/server/**', '**/protocol/runtime*'], message: 'Anchoring is host-page code: no UI and no messaging.' },
    ]),
  },
  {
    // Runs in the page's own JavaScript world, before the page: no extension API is there, and every
    // byte of it is the page's to read. It imports nothing but its own folder.
    files: ['extension/main-world/**'],
    rules: restrict([{ group: ['../*', '../**', 'preact', 'preact/*', 'webextension-polyfill', 'idb', 'valibot', 'socket.io-client'], message: 'main-world/ runs in the page’s world: it imports nothing but its own folder.' }]),
  },
  {
    files: ['extension/background/**'],
    rules: restrict([{ group: ['**/content/**', '**/popup/**', 'preact', 'preact/*', '**/server/**'], message: 'The background has no UI and never imports content or popup code.' }]),
  },
  {
    files: ['extension/popup/**'],
    rules: restrict([{ group: ['**/content/**', '**/background/**', '**/server/**', 'socket.io-client'], message: 'The popup talks to the background by messages only.' }]),
  },
);
