import * as v from 'valibot';
import { LIMITS } from '../../protocol/limits.js';
import { NO_NAME } from '../../protocol/names.js';
import { isWellFormed } from '../../protocol/well-formed.js';

/**
 * The rules of the settings, apart from storage so that they can be unit-tested in Node (the
 * webextension-polyfill refuses to load outside an extension).
 */
export interface Settings {
  serverUrl: string;
  name: string;
  token?: string;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({ serverUrl: 'http://localhost:8787', name: NO_NAME });

const TOKEN_MAX = 8_192;

// Plain http is only safe where the traffic never leaves the machine.
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Returns why `url` cannot be the server URL, or null when it can. */
export function validateServerUrl(url: string): string | null {
  const trimmed = url.trim();
  if (trimmed === '') return 'Enter the server URL, for example https://gloss.example.com';
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return 'The server URL is not a valid URL (it must start with https://)';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return 'The server URL must start with https:// (or http:// for localhost)';
  }
  if (parsed.protocol === 'http:' && !LOOPBACK.has(parsed.hostname)) {
    return 'Use https:// for a remote server; http:// is only allowed for localhost, 127.0.0.1 and [::1]';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'The server URL must not contain a user name or password';
  // Socket.IO reads a path as a namespace, so a path here would silently connect to the wrong place.
  if (parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '') {
    return 'The server URL must be just the address, without a path, query or #fragment';
  }
  return null;
}

export function validateName(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'Enter a display name';
  if (trimmed.length > LIMITS.name) return `The display name is longer than ${LIMITS.name} characters`;
  if (!isWellFormed(trimmed)) return 'The display name holds a broken character (half of an emoji or symbol): delete it and type it again';
  return null;
}

export function validateToken(token: string): string | null {
  if (token.length > TOKEN_MAX) return `The token is longer than ${TOKEN_MAX} characters`;
  if (/\s/.test(token)) return 'The token must not contain spaces or line breaks';
  return null;
}

const StoredServerUrl = v.pipe(v.string(), v.check((s) => validateServerUrl(s) === null));
const StoredName = v.pipe(v.string(), v.check((s) => validateName(s) === null));
const StoredToken = v.pipe(v.string(), v.minLength(1), v.check((s) => validateToken(s) === null));

/** Stored settings, checked field by field (see loadSettings); also used on `storage.onChanged` values. */
export function settingsFromStorage(raw: unknown): Settings {
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const settings: Settings = {
    serverUrl: v.is(StoredServerUrl, record.serverUrl) ? new URL(record.serverUrl.trim()).origin : DEFAULT_SETTINGS.serverUrl,
    name: v.is(StoredName, record.name) ? record.name.trim() : DEFAULT_SETTINGS.name,
  };
  if (v.is(StoredToken, record.token)) settings.token = record.token;
  return settings;
}

/** Checks and normalises user input; the message is meant to be shown next to the form. */
export function checkSettings(input: Settings): { ok: true; settings: Settings } | { ok: false; message: string } {
  if (typeof input !== 'object' || input === null) return { ok: false, message: 'Settings are missing' };
  if (typeof input.serverUrl !== 'string') return { ok: false, message: 'Enter the server URL' };
  if (typeof input.name !== 'string') return { ok: false, message: 'Enter a display name' };
  if (input.token !== undefined && typeof input.token !== 'string') return { ok: false, message: 'The token must be text' };
  const problem = validateServerUrl(input.serverUrl) ?? validateName(input.name) ?? validateToken((input.token ?? '').trim());
  if (problem !== null) return { ok: false, message: problem };
  const settings: Settings = { serverUrl: new URL(input.serverUrl.trim()).origin, name: input.name.trim() };
  const token = (input.token ?? '').trim();
  // An empty token field means "no token": connect anonymously.
  if (token !== '') settings.token = token;
  return { ok: true, settings };
}
