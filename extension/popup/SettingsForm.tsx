import { useEffect, useRef, useState } from 'preact/hooks';
import { LIMITS } from '../../protocol/limits.js';
import { loadSettings, saveSettings, validateName, validateServerUrl, validateToken, type Settings } from '../shared/settings.js';
import { withSettingsPort } from './background-api.js';

type Field = 'server' | 'name' | 'token';

/**
 * Server URL, display name and token. The token is write-only here: the field starts empty and a
 * saved token is only ever reported as "saved", so it is never shown back in clear.
 */
export function SettingsForm({ prominent }: { prominent: boolean }) {
  const [loaded, setLoaded] = useState<Settings | null>(null);
  const [serverUrl, setServerUrl] = useState('');
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const [removeToken, setRemoveToken] = useState(false);
  const [message, setMessage] = useState<{ text: string; good: boolean } | null>(null);
  const [invalid, setInvalid] = useState<Field | null>(null);
  const fields = { server: useRef<HTMLInputElement>(null), name: useRef<HTMLInputElement>(null), token: useRef<HTMLInputElement>(null) };

  useEffect(() => {
    void loadSettings().then((s) => {
      setLoaded(s);
      setServerUrl(s.serverUrl);
      setName(s.name);
    });
  }, []);

  /** Says what is wrong and puts the keyboard on the field to fix, which is marked invalid for screen readers. */
  const refuse = (field: Field | null, text: string) => {
    setInvalid(field);
    setMessage({ text, good: false });
    if (field) fields[field].current?.focus();
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const typed = token.trim();
    const problem: [Field, string | null][] = [
      ['server', validateServerUrl(serverUrl)],
      ['name', validateName(name)],
      ['token', validateToken(typed)],
    ];
    const first = problem.find(([, text]) => text !== null);
    if (first) {
      refuse(first[0], first[1]!);
      return;
    }
    const next: Settings = { serverUrl, name };
    if (typed !== '') next.token = typed;
    else if (!removeToken && loaded?.token !== undefined) next.token = loaded.token;
    // Emptied first: a second save's "Saved." is then a change of the status, which a screen reader announces again.
    setMessage(null);
    const result = await withSettingsPort(() => saveSettings(next));
    if (!result.ok) {
      refuse(null, result.message);
      return;
    }
    const stored = await loadSettings();
    setLoaded(stored);
    setServerUrl(stored.serverUrl);
    setName(stored.name);
    setToken('');
    setRemoveToken(false);
    setInvalid(null);
    setMessage({ text: 'Saved. Gloss reconnects with these settings.', good: true });
  };

  // The server takes a token user's name from the token (connection.ts handshakeAuth sends no name then).
  const tokenNamesUser = token.trim() !== '' || (loaded?.token !== undefined && !removeToken);

  return (
    <section aria-label="Settings">
      {prominent ? <h1>Set up Gloss</h1> : <h2>Settings</h2>}
      {prominent && <p class="muted">Choose the Gloss server to connect to and the name others see next to your comments.</p>}
      <form onSubmit={save} noValidate>
        <label>
          Server URL
          <input
            type="url"
            data-testid="settings-server"
            ref={fields.server}
            aria-invalid={invalid === 'server'}
            aria-describedby={invalid === 'server' ? 'settings-message' : undefined}
            value={serverUrl}
            placeholder="https://gloss.example.com"
            spellcheck={false}
            onInput={(e) => setServerUrl(e.currentTarget.value)}
          />
        </label>
        <label>
          Display name
          <input
            type="text"
            data-testid="settings-name"
            ref={fields.name}
            aria-invalid={invalid === 'name'}
            aria-describedby={[invalid === 'name' ? 'settings-message' : '', tokenNamesUser ? 'settings-name-note' : ''].join(' ').trim() || undefined}
            value={name}
            maxLength={LIMITS.name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        {tokenNamesUser && (
          <p class="muted note" id="settings-name-note" data-testid="settings-name-note">
            With an access token, others see the name the token was issued with; this one is used without a token.
          </p>
        )}
        <label>
          Access token {loaded?.token !== undefined ? '(a token is saved; leave empty to keep it)' : '(optional)'}
          <input
            type="password"
            data-testid="settings-token"
            ref={fields.token}
            aria-invalid={invalid === 'token'}
            aria-describedby={invalid === 'token' ? 'settings-message' : undefined}
            value={token}
            autocomplete="off"
            placeholder={loaded?.token !== undefined ? '••••••••' : 'none: connect anonymously'}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        {loaded?.token !== undefined && (
          <label class="inline">
            <input type="checkbox" data-testid="settings-remove-token" checked={removeToken} onChange={(e) => setRemoveToken(e.currentTarget.checked)} />
            Remove the saved token
          </label>
        )}
        <button type="submit" class="primary" data-testid="settings-save">
          Save
        </button>
        <p class={`message ${message?.good ? 'good' : 'bad'}`} id="settings-message" data-testid="settings-message" role="status">
          {message?.text ?? ''}
        </p>
      </form>
    </section>
  );
}
