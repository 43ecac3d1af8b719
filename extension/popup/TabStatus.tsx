import { useEffect, useRef, useState } from 'preact/hooks';
import type { RuntimePort } from '../../protocol/port.js';
import type { TabState } from '../../protocol/runtime.js';
import { watchTab } from './tab-port.js';
import { conversationsText, unseenText, viewingText } from './tab-state.js';
import { NOT_RUNNING_AFTER_MS, summarize } from './tab-summary.js';
import { STALE_VIEWERS, unlistedText, viewerList } from './viewer-list.js';

interface Props {
  /** Opens a port to the background about the tab shown (background-api.ts connectToTab). */
  connect(): RuntimePort;
  /** The tab's panel was opened. */
  onPanelOpened?(): void;
  onReload?(): Promise<void>;
  /** Whether the browser has a network: the popup's own `navigator.onLine` (a page gets it right in both browsers). */
  isOnline?(): boolean;
}

const browserOnline = () => navigator.onLine;

interface Shown {
  state: TabState;
  /** Counts the tab's stretches of `not-running` (and reloads): the one whose wait is over says "not running". */
  round: number;
  wasConnected: boolean;
  /** The tab's last connection word was `offline` (Seen.toldOffline). */
  toldOffline: boolean;
}

/**
 * The tab's live state, as the background pushes it over the popup's port (tab-port.ts) while the
 * popup is open. Nothing here polls: the only timer is the wait before "not running" is said.
 */
export function TabStatus({ connect, onPanelOpened, onReload, isOnline = browserOnline }: Props) {
  const [answer, setAnswer] = useState<Shown | null>(null);
  const [link, setLink] = useState<'open' | 'lost' | 'gone'>('open');
  const [lastedRound, setLastedRound] = useState(-1);
  // The answer to a click stays until the next click.
  const [openFailed, setOpenFailed] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const channel = useRef<{ openPanel(): Promise<boolean> } | null>(null);
  // Only the note's words depend on it ("no network" rather than "check the server URL"); the
  // popup's page gets the events in both browsers, unlike Chromium's worker (online.ts).
  const [online, setOnline] = useState(isOnline);
  useEffect(() => {
    const stop = new AbortController();
    const read = () => setOnline(isOnline());
    addEventListener('online', read, { signal: stop.signal });
    addEventListener('offline', read, { signal: stop.signal });
    read();
    return () => stop.abort();
  }, [isOnline]);

  useEffect(() => {
    const stop = new AbortController();
    channel.current = watchTab(
      connect,
      {
        state: (next) =>
          setAnswer((prev) => ({
            state: next,
            round: prev === null ? 0 : prev.state.page === 'not-running' && next.page === 'not-running' ? prev.round : prev.round + 1,
            wasConnected: (prev?.wasConnected ?? false) || next.page === 'annotatable',
            toldOffline: next.page === 'annotatable' ? next.connection === 'offline' : next.page === 'not-running' && (prev?.toldOffline ?? false),
          })),
        link: setLink,
      },
      stop.signal,
    );
    return () => {
      stop.abort();
      channel.current = null;
    };
  }, [connect]);

  const page = answer?.state.page;
  const round = answer?.round;
  useEffect(() => {
    if (page !== 'not-running' || round === undefined) return;
    const timer = setTimeout(() => setLastedRound(round), NOT_RUNNING_AFTER_MS);
    return () => clearTimeout(timer);
  }, [page, round]);

  const state = answer?.state ?? null;
  // Nothing is claimed before the first answer: a default here would flash a wrong state.
  const summary = answer ? summarize(answer.state, { notRunningLasted: lastedRound === answer.round, wasConnected: answer.wasConnected, linked: link === 'open', online, toldOffline: answer.toldOffline }) : null;
  const said = link === 'gone' ? 'No answer from the extension' : problem;
  const viewers = state ? viewerList(state.users, state.self) : [];
  const unlisted = state ? unlistedText(state.viewers, viewers.length) : null;
  const stale = state !== null && state.connection !== 'live';
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
      {summary === null && said === null && <p class="muted">Checking this page…</p>}
      {summary?.note && (
        <p class="muted" data-testid="popup-note">
          {summary.note}
        </p>
      )}
      {state && summary?.annotatable && (
        <>
          {/* Not live, the viewers are the last the server sent: kept, but said so (the count quieter, its
              tooltip and hidden words "last known, not live", the list under "Last seen viewing"), as the
              tab's bar does and as the badge greys a count that is not live (docs/architecture.md). */}
          <div class="row">
            <span>
              <span data-testid="popup-viewers" class={stale ? 'muted' : undefined} title={stale ? `Last known, not live` : undefined}>
                {viewingText(state.viewers)}
              </span>
              {stale && <span class="sr-only">{` (${STALE_VIEWERS})`}</span>}
            </span>
            <span>
              <span data-testid="popup-conversations">{conversationsText(state.conversations)}</span>
              {/* "3 conversations · 2 new", as the bar's toggle; a screen reader hears "3 conversations, 2 new", not "middle dot". */}
              {state.unseen > 0 && (
                <>
                  <span aria-hidden="true">{' \u00b7'}</span>
                  <span class="sr-only">,</span>
                  <span data-testid="popup-unseen">{` ${unseenText(state.unseen)}`}</span>
                </>
              )}
            </span>
          </div>
          {stale && viewers.length > 0 && (
            <p class="muted" data-testid="popup-users-stale">
              Last seen viewing (not live):
            </p>
          )}
          <ul data-testid="popup-users" aria-label={stale ? 'Last seen viewing' : 'Who is viewing'}>
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
            // The states pushed next say "loading", then whether Gloss started; until then, the wait starts over.
            setAnswer((prev) => prev && { ...prev, round: prev.round + 1 });
            setProblem(null);
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
          const ok = (await channel.current?.openPanel()) ?? false;
          setOpenFailed(!ok);
          if (ok) onPanelOpened?.();
        }}
      >
        {/* Not "Open conversations": the panel's "Open" filter means not resolved, and this shows them all. */}
        Show conversations
      </button>
      {openFailed && (
        <p class="message bad" role="alert">
          Could not open the panel on this page (reload the page and try again)
        </p>
      )}
      {said !== null && (
        <p class="message bad" role="alert">
          {said}
        </p>
      )}
    </section>
  );
}
