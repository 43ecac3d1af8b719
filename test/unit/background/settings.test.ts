import { describe, expect, it } from 'vitest';
import { checkSettings, DEFAULT_SETTINGS, settingsFromStorage, validateServerUrl } from '../../../extension/shared/settings-rules.js';

describe('validateServerUrl', () => {
  it('accepts https anywhere and http on loopback only', () => {
    for (const url of ['https://gloss.example.com', 'https://gloss.example.com:8443/', 'http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787']) {
      expect(validateServerUrl(url)).toBeNull();
    }
  });

  it('explains what is wrong', () => {
    expect(validateServerUrl('')).toMatch(/Enter the server URL/);
    expect(validateServerUrl('gloss.example.com')).toMatch(/not a valid URL/);
    expect(validateServerUrl('http://gloss.example.com')).toMatch(/https:\/\/.*localhost/);
    expect(validateServerUrl('http://192.168.1.5:8787')).toMatch(/https/);
    expect(validateServerUrl('ws://localhost:8787')).toMatch(/must start with https/);
    expect(validateServerUrl('https://user:pw@gloss.example.com')).toMatch(/user name or password/);
    expect(validateServerUrl('https://gloss.example.com/api')).toMatch(/without a path/);
  });
});

describe('checkSettings', () => {
  it('normalises valid input', () => {
    expect(checkSettings({ serverUrl: ' https://Gloss.example.com/ ', name: '  Ann ', token: '  ' })).toEqual({ ok: true, settings: { serverUrl: 'https://gloss.example.com', name: 'Ann' } });
    expect(checkSettings({ serverUrl: 'http://localhost:8787', name: 'Ann', token: 'abc.def' })).toEqual({ ok: true, settings: { serverUrl: 'http://localhost:8787', name: 'Ann', token: 'abc.def' } });
  });

  it('refuses a blank or long name and a token with spaces', () => {
    expect(checkSettings({ serverUrl: 'http://localhost:8787', name: '  ' })).toEqual({ ok: false, message: 'Enter a display name' });
    expect(checkSettings({ serverUrl: 'http://localhost:8787', name: 'x'.repeat(81) }).ok).toBe(false);
    expect(checkSettings({ serverUrl: 'http://localhost:8787', name: 'x'.repeat(80) }).ok).toBe(true);
    expect(checkSettings({ serverUrl: 'http://localhost:8787', name: 'Ann', token: 'a b' }).ok).toBe(false);
  });

  it('refuses a name with half of an emoji, which the server refuses at the handshake', () => {
    expect(checkSettings({ serverUrl: 'http://localhost:8787', name: 'Ann \ud83d' })).toEqual({ ok: false, message: expect.stringMatching(/broken character/) });
    expect(checkSettings({ serverUrl: 'http://localhost:8787', name: 'Ann \ud83d\ude00' }).ok).toBe(true);
  });
});

describe('settingsFromStorage', () => {
  it('falls back to the defaults on missing or bad data, field by field', () => {
    expect(settingsFromStorage(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(settingsFromStorage('junk')).toEqual(DEFAULT_SETTINGS);
    expect(settingsFromStorage({ serverUrl: 'http://evil.example', name: 42, token: 'keep-me' })).toEqual({ ...DEFAULT_SETTINGS, token: 'keep-me' });
    expect(settingsFromStorage({ serverUrl: 'https://g.example', name: 'Ann', token: '' })).toEqual({ serverUrl: 'https://g.example', name: 'Ann' });
  });
});
