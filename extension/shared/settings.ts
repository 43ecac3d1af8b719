import browser from 'webextension-polyfill';
import { checkSettings, DEFAULT_SETTINGS, settingsFromStorage, type Settings } from './settings-rules.js';

/**
 * The user's settings in `browser.storage.local` under `settings`, shared by the background (which
 * connects with them) and the popup (which edits them). Content scripts never read them: the token
 * must not reach a page's process.
 */
export { DEFAULT_SETTINGS, validateServerUrl, checkSettings, settingsFromStorage, type Settings } from './settings-rules.js';

export const SETTINGS_KEY = 'settings';

/**
 * Reads the settings, field by field: stored data that no longer passes the checks (an older
 * version, a hand-edited profile) falls back to the default for that field instead of breaking the
 * extension, and a bad name does not cost the user their token.
 */
export async function loadSettings(): Promise<Settings> {
  let raw: unknown;
  try {
    raw = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  return settingsFromStorage(raw);
}

export async function saveSettings(input: Settings): Promise<{ ok: true } | { ok: false; message: string }> {
  const checked = checkSettings(input);
  if (!checked.ok) return checked;
  try {
    await browser.storage.local.set({ [SETTINGS_KEY]: checked.settings });
  } catch (error) {
    return { ok: false, message: `Could not save the settings: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { ok: true };
}
