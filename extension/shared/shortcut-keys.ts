import * as v from 'valibot';
import { NO_SHORTCUT_KEYS, Shortcut, ShortcutKey, type ShortcutKeys } from '../../protocol/runtime.js';
import type { BrowserEvent } from './listen.js';

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
    keys[entry.name] = v.is(ShortcutKey, bound) ? bound : null;
  }
  return keys;
}

/**
 * The keys now, or null when the browser would not say (the API missing or failing): the worker's
 * tabs then keep what they were told, and the popup shows no keys rather than guessed ones.
 */
export async function readShortcutKeys(getAll: () => Promise<unknown>): Promise<ShortcutKeys | null> {
  try {
    return shortcutKeysFrom(await getAll());
  } catch (error) {
    console.debug('[gloss] the shortcuts could not be read:', error instanceof Error ? error.message : String(error));
    return null;
  }
}

/** The browser's event for a rebinding: Firefox's `commands.onChanged`; Chromium has none (undefined). */
export function rebindingEvent(commands: object): BrowserEvent<() => void> | undefined {
  return (commands as { onChanged?: BrowserEvent<() => void> }).onChanged;
}

export function sameKeys(a: ShortcutKeys, b: ShortcutKeys): boolean {
  return Shortcut.options.every((command) => a[command] === b[command]);
}
