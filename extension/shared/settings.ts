import browser from 'webextension-polyfill';
import { readPrivate, writePrivate } from './private-store.js';
import { checkSettings, DEFAULT_SETTINGS, settingsFromStorage, type Settings } from './settings-rules.js';

/**
 * The user's settings, kept in the extension's private store (private-store.ts) under `settings` and
 * shared by the background (which connects with them) and the popup (which edits them). Content
 * scripts cannot read them: the token must not reach a page's process.
 */
export { DEFAULT_SETTINGS, validateServerUrl, validateName, validateToken, checkSettings, settingsFromStorage, type Settings } from './settings-rules.js';

export const SETTINGS_KEY = 'settings';
/**
 * Set in `storage.local` to the time of each save: it holds nothing secret, and its `storage.onChanged`
 * event is what tells (and wakes) the background that the settings changed.
 */
export const SETTINGS_SAVED_KEY = 'settingsSavedAt';

/**
 * Reads the settings, field by field: stored data that no longer passes the checks (an older
 * version, a hand-edited profile) falls back to the default for that field instead of breaking the
 * extension, and a bad name does not cost the user their token.
 */
export async function loadSettings(): Promise<Settings> {
  let raw: unknown;
  try {
    raw = await readPrivate(SETTINGS_KEY);
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  return settingsFromStorage(raw);
}

export async function saveSettings(input: Settings): Promise<{ ok: true } | { ok: false; message: string }> {
  const checked = checkSettings(input);
  if (!checked.ok) return checked;
  try {
    await writePrivate(SETTINGS_KEY, checked.settings);
    await browser.storage.local.set({ [SETTINGS_SAVED_KEY]: Date.now() });
  } catch (error) {
    return { ok: false, message: `Could not save the settings: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { ok: true };
}
