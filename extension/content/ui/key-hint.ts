/**
 * A browser shortcut's keys as `aria-keyshortcuts` writes them (WAI-ARIA: modifiers named Alt,
 * Control, Shift, Meta, joined by "+"), from what `commands.getAll()` gives: "Alt+Shift+M" in both
 * browsers on Windows and Linux, "MacCtrl+Shift+M" or "Command+Shift+M" in Firefox on macOS, "⌃⇧M"
 * in Chrome there. Null when a part is not one of those: the tooltip still shows the browser's own
 * words, and a screen reader is better told nothing than a wrong key.
 */
const MODIFIERS: Record<string, string> = {
  Alt: 'Alt',
  Option: 'Alt',
  '⌥': 'Alt',
  Shift: 'Shift',
  '⇧': 'Shift',
  Ctrl: 'Control',
  MacCtrl: 'Control',
  '⌃': 'Control',
  Command: 'Meta',
  '⌘': 'Meta',
};
/** A key of a browser shortcut: a letter or digit, F1-F12, or a named key (Comma, Home, Up…). */
const KEY = /^(?:[A-Z0-9]|F(?:[1-9]|1[0-2])|[A-Z][A-Za-z]+)$/;
const ARIA_NAMES: Record<string, string> = { Comma: ',', Period: '.', Space: 'Space', Up: 'ArrowUp', Down: 'ArrowDown', Left: 'ArrowLeft', Right: 'ArrowRight', PageUp: 'PageUp', PageDown: 'PageDown' };

export function ariaKeys(keys: string): string | null {
  // Chrome on macOS writes the modifiers as symbols with nothing between them.
  const parts = keys.includes('+') ? keys.split('+') : [...keys.matchAll(/[⌥⇧⌃⌘]|[^⌥⇧⌃⌘]+/gu)].map((m) => m[0]);
  const key = parts.pop();
  if (key === undefined || parts.length === 0 || !KEY.test(key)) return null;
  const modifiers = parts.map((p) => MODIFIERS[p]);
  if (modifiers.some((m) => m === undefined)) return null;
  return [...modifiers, ARIA_NAMES[key] ?? key].join('+');
}

/** "what (keys)" with the shortcut's keys when bound; `what` alone when not, never a key that no longer works. */
export function withKeys(what: string, keys: string | null): string {
  return keys === null ? what : `${what} (${keys})`;
}
