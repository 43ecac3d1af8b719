import * as v from 'valibot';
import { NO_SHORTCUT_KEYS, Shortcut, ShortcutKeys } from '../../protocol/runtime.js';

/** One entry of `commands.getAll()`, as far as it is read: `shortcut` is "" when unbound (Chrome) or absent (Firefox). */
const Command = v.object({ name: v.optional(v.string()), shortcut: v.optional(v.string()) });

/**
 * The shortcuts' keys now, from what `commands.getAll()` answered (the worker's and the popup's one
 * way to know them: the user can rebind them at any time). Read as untrusted input: entries of
 * another shape or name are skipped, and a key that is empty or longer than ShortcutKeys allows
 * reads as unbound, so nothing shows a key that may not work.
 */
export function shortcutKeysFrom(commands: unknown): ShortcutKeys {
  const keys: { -readonly [K in Shortcut]: string | null } = { ...NO_SHORTCUT_KEYS };
  if (!Array.isArray(commands)) return keys;
  for (const entry of commands) {
    if (!v.is(Command, entry) || !v.is(Shortcut, entry.name)) continue;
    const bound = entry.shortcut?.trim() ?? '';
    keys[entry.name] = v.is(ShortcutKeys.entries['toggle-panel'], bound) && bound !== '' ? bound : null;
  }
  return keys;
}

export function sameKeys(a: ShortcutKeys, b: ShortcutKeys): boolean {
  return a['annotate-selection'] === b['annotate-selection'] && a['toggle-panel'] === b['toggle-panel'];
}
