import { useEffect, useState } from 'preact/hooks';
import type { TabState } from '../../protocol/runtime.js';
import { conversationsText, viewingText } from './tab-state.js';
import { nextSeen, summarize, type Seen } from './tab-summary.js';
import { unlistedText, viewerList } from './viewer-list.js';

interface Props {
  load(): Promise<TabState | null>;
  onOpenPanel(): Promise<boolean>;
  onReload?(): Promise<void>;
}

/** The active tab's live state, refreshed every second while the popup is open. */
export function TabStatus({ load, onOpenPanel, onReload }: Props) {
  const [answer, setAnswer] = useState<{ state: TabState; seen: Seen } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Apart from `problem`, which each refresh sets anew: the answer to a click stays until the next click.
  const [openFailed, setOpenFailed] = useState(false);

  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      try {
        const next = await load();
        if (stopped) return;
        if (next !== null) setAnswer((prev) => ({ state: next, seen: nextSeen(prev?.seen ?? { notRunning: 0, wasConnected: false }, next) }));
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

  const state = answer?.state ?? null;
  // Nothing is claimed before the first answer: a default here would flash a wrong state.
  const summary = answer ? summarize(answer.state, answer.seen) : null;
  const viewers = state ? viewerList(state.users, state.self) : [];
  const unlisted = state ? unlistedText(state.viewers, viewers.length) : null;
  return (
    <section aria-label="This page">
      <div class="row">
        <h2>This page</h2>
        {summary && (
          <span class={`state ${summary.tone}`} data-testid="popup-connection">
            {summary.badge}
          </span>
        )}
      </div>
      {summary === null && problem === null && <p class="muted">Checking this page…</p>}
      {summary?.note && (
        <p class="muted" data-testid="popup-note">
          {summary.note}
        </p>
      )}
      {state && summary?.annotatable && (
        <>
          <div class="row">
            <span data-testid="popup-viewers">{viewingText(state.viewers)}</span>
            <span data-testid="popup-conversations">{conversationsText(state.conversations)}</span>
          </div>
          <ul data-testid="popup-users" aria-label="Who is viewing">
            {viewers.map((u) => (
              <li key={u.id} data-you={u.you ? 'true' : undefined}>
                <span data-testid="popup-user-name">{u.name}</span>
                {u.you && <span class="muted"> (you)</span>}
              </li>
            ))}
          </ul>
          {unlisted && <p class="muted">{unlisted}</p>}
        </>
      )}
      {summary?.reloadable && onReload && (
        <button
          type="button"
          class="primary"
          data-testid="reload-page"
          onClick={() => {
            // The answers that follow say "loading", then whether Gloss started.
            setAnswer(null);
            void onReload().catch((e: unknown) => setProblem(e instanceof Error ? e.message : String(e)));
          }}
        >
          Reload this page
        </button>
      )}
      <button
        type="button"
        class={summary?.reloadable ? '' : 'primary'}
        data-testid="open-panel"
        disabled={!summary?.annotatable}
        onClick={async () => {
          const ok = await onOpenPanel().catch(() => false);
          setOpenFailed(!ok);
        }}
      >
        Open conversations
      </button>
      {openFailed && (
        <p class="message bad" role="alert">
          Could not open the panel on this page (reload the page and try again)
        </p>
      )}
      {problem !== null && (
        <p class="message bad" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
