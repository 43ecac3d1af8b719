import { useCallback, useEffect, useState } from 'preact/hooks';
import { SettingsForm } from './SettingsForm.js';
import { TabStatus } from './TabStatus.js';
import { activeTabId, connectToTab, reloadTab, shortcutKeys, shortcutKeysChanged, shortcutSettings } from './background-api.js';
import { followShortcutKeys } from './follow-keys.js';
import { Shortcuts } from './Shortcuts.js';
import type { ShortcutKeys } from '../../protocol/runtime.js';

/**
 * `?view=settings` (the page the background opens on first install) puts the settings first, as a
 * page. `?tabId=N` shows tab N instead of the active tab, for when this page is itself the active tab.
 */
export function Popup({ search }: { search: string }) {
  const params = new URLSearchParams(search);
  const settingsView = params.get('view') === 'settings';
  const forced = Number.parseInt(params.get('tabId') ?? '', 10);
  const tabGiven = Number.isInteger(forced) && forced >= 0;
  const [tabId, setTabId] = useState<number | null>(tabGiven ? forced : null);

  useEffect(() => {
    if (tabId !== null) return;
    void activeTabId().then(setTabId);
  }, [tabId]);

  // Read as the popup opens (a rebinding made since shows at once), and again when one may have been
  // made while it stays open (follow-keys.ts): the settings page stays open in a tab.
  const [keys, setKeys] = useState<ShortcutKeys | null>(null);
  useEffect(() => {
    const stop = new AbortController();
    followShortcutKeys(shortcutKeys, { changed: shortcutKeysChanged(), window, document }, setKeys, stop.signal);
    return () => stop.abort();
  }, []);
  const shortcuts = keys !== null && <Shortcuts keys={keys} settings={shortcutSettings()} />;

  const connect = useCallback(() => {
    // Only called once the tab is known (TabStatus is rendered then); a throw reads as "no answer".
    if (tabId === null) throw new Error('no tab to describe');
    return connectToTab(tabId);
  }, [tabId]);
  // The toolbar popup would cover the panel it opened; the same page in a tab stays (closing it would close the tab).
  const toolbarPopup = !settingsView && !tabGiven;
  const opened = useCallback(() => {
    if (toolbarPopup) window.close();
  }, [toolbarPopup]);
  const reload = useCallback(() => (tabId === null ? Promise.resolve() : reloadTab(tabId)), [tabId]);
  const status = tabId === null ? <p class="muted">Looking for the active tab…</p> : <TabStatus connect={connect} onPanelOpened={opened} onReload={reload} />;

  return (
    <main class={settingsView ? 'page' : ''}>
      {settingsView ? (
        <>
          <SettingsForm prominent />
          {/* Without a tab named, "this page" would be the settings page itself, which Gloss does not annotate. */}
          {tabGiven && status}
          {shortcuts}
        </>
      ) : (
        <>
          <h1>Gloss</h1>
          {status}
          {shortcuts}
          <SettingsForm prominent={false} />
        </>
      )}
    </main>
  );
}
