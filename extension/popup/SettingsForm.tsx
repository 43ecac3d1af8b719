import { useEffect, useState } from 'preact/hooks';
import { loadSettings, saveSettings, validateServerUrl, type Settings } from '../shared/settings.js';

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

  useEffect(() => {
    void loadSettings().then((s) => {
      setLoaded(s);
      setServerUrl(s.serverUrl);
      setName(s.name);
    });
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    const urlProblem = validateServerUrl(serverUrl);
    if (urlProblem !== null) {
      setMessage({ text: urlProblem, good: false });
      return;
    }
    const next: Settings = { serverUrl, name };
    const typed = token.trim();
    if (typed !== '') next.token = typed;
    else if (!removeToken && loaded?.token !== undefined) next.token = loaded.token;
    const result = await saveSettings(next);
    if (!result.ok) {
      setMessage({ text: result.message, good: false });
      return;
    }
    const stored = await loadSettings();
    setLoaded(stored);
    setServerUrl(stored.serverUrl);
    setName(stored.name);
    setToken('');
    setRemoveToken(false);
    setMessage({ text: 'Saved. Gloss reconnects with these settings.', good: true });
  };

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
            value={serverUrl}
            placeholder="https://gloss.example.com"
            spellcheck={false}
            onInput={(e) => setServerUrl(e.currentTarget.value)}
          />
        </label>
        <label>
          Display name
          <input type="text" data-testid="settings-name" value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Access token {loaded?.token !== undefined ? '(a token is saved; leave empty to keep it)' : '(optional)'}
          <input
            type="password"
            data-testid="settings-token"
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
        <p class={`message ${message?.good ? 'good' : 'bad'}`} data-testid="settings-message" role="status">
          {message?.text ?? ''}
        </p>
      </form>
    </section>
  );
}
