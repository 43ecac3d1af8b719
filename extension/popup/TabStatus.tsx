import { useEffect, useState } from 'preact/hooks';
import type { TabState } from '../../protocol/runtime.js';
import { conversationsText, viewingText } from './tab-state.js';

interface Props {
  load(): Promise<TabState | null>;
  onOpenPanel(): Promise<boolean>;
}

/** The active tab's live state, refreshed every second while the popup is open. */
export function TabStatus({ load, onOpenPanel }: Props) {
  const [state, setState] = useState<TabState | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Apart from `problem`, which each refresh sets anew: the answer to a click stays until the next click.
  const [openFailed, setOpenFailed] = useState(false);

  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      try {
        const next = await load();
        if (stopped) return;
        setState(next);
        setProblem(next === null ? 'No answer from the extension' : null);
      } catch (e) {
        if (!stopped) setProblem(e instanceof Error ? e.message : String(e));
      }
    };
    void refresh();
    const timer = setInterval(refresh, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [load]);

  const connection = state?.connection ?? 'connecting';
  const annotatable = state !== null && state.pageKey !== null;
  return (
    <section aria-label="This page">
      <div class="row">
        <h2>This page</h2>
        <span class={`state ${connection}`} data-testid="popup-connection">
          {connection}
        </span>
      </div>
      {state !== null && !annotatable && <p class="muted">Gloss cannot annotate this page.</p>}
      <div class="row">
        <span data-testid="popup-viewers">{viewingText(state?.viewers ?? 0)}</span>
        <span data-testid="popup-conversations">{conversationsText(state?.conversations ?? 0)}</span>
      </div>
      <ul data-testid="popup-users">
        {(state?.users ?? []).map((u) => (
          <li key={u.id}>{u.name || 'Anonymous'}</li>
        ))}
      </ul>
      <button
        type="button"
        class="primary"
        data-testid="open-panel"
        disabled={!annotatable}
        onClick={async () => {
          // The popup stays open (it may be a tab, where closing would close the page itself).
          const ok = await onOpenPanel().catch(() => false);
          setOpenFailed(!ok);
        }}
      >
        Open conversations
      </button>
      {openFailed && <p class="message bad">Could not open the panel on this page (reload the page and try again)</p>}
      {problem !== null && <p class="message bad">{problem}</p>}
    </section>
  );
}
