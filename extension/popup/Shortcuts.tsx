import type { Shortcut, ShortcutKeys } from '../../protocol/runtime.js';

/** What each shortcut does, in the popup's words (manifest.json `commands` describes them to the browser). */
const WHAT: Record<Shortcut, string> = {
  'annotate-selection': 'Annotate the selected text',
  'toggle-panel': 'Show or hide the conversations',
};

/** Where the user changes the keys: Chromium's page opens from here; Firefox has no address for its own. */
export type ShortcutSettings = { open(): void } | 'firefox';

/** Firefox's shortcut settings have no address an extension may open: the way there, in words. */
export const FIREFOX_WHERE = 'To change them: about:addons, the gear menu, Manage Extension Shortcuts.';

/**
 * The browser shortcuts with the keys they have now (`keys`, from `commands.getAll()`: the user may
 * have rebound them), and where to change them. An unbound one says "not set", never the key it was
 * given in the manifest: Chrome leaves a suggested key unbound when something else has it.
 */
export function Shortcuts({ keys, settings }: { keys: ShortcutKeys; settings: ShortcutSettings }) {
  return (
    <section data-testid="popup-shortcuts" aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading">Shortcuts</h2>
      <ul class="shortcuts">
        {(Object.keys(WHAT) as Shortcut[]).map((command) => (
          <li key={command} data-testid="popup-shortcut" data-command={command}>
            {keys[command] === null ? <span class="muted">not set</span> : <kbd>{keys[command]}</kbd>} {WHAT[command]}
          </li>
        ))}
      </ul>
      {settings === 'firefox' ? (
        <p class="muted" data-testid="shortcuts-where">
          {FIREFOX_WHERE}
        </p>
      ) : (
        <button type="button" data-testid="shortcuts-change" onClick={() => settings.open()}>
          Change shortcuts
        </button>
      )}
    </section>
  );
}
