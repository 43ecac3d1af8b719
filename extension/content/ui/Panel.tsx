import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { User } from '../../../protocol/model.js';
import type { LocalConversation } from '../../../protocol/runtime.js';
import type { Actions } from '../view.js';
import { ConversationCard } from './ConversationView.js';
import { focusedIn, focusLost } from './focus.js';

/** Links the top bar's toggle to the panel it opens (ids are scoped to our shadow root). */
export const PANEL_ID = 'gloss-panel';

interface Props {
  anchored: LocalConversation[];
  orphaned: LocalConversation[];
  deleted: ReadonlySet<string>;
  self: User | null;
  activeId: string | null;
  refusedEdits: ReadonlyMap<string, string>;
  actions: Actions;
}

export function Panel({ anchored, orphaned, deleted, self, activeId, refusedEdits, actions }: Props) {
  const list = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** Where focus was before it came into the panel: it goes back there when the panel closes. */
  const cameFrom = useRef<HTMLElement | null>(null);
  /** The last focused element inside, and its conversation: found again if a render removes it. */
  const lastFocused = useRef<{ el: HTMLElement; conversation: string | null } | null>(null);

  const onFocusIn = (e: FocusEvent) => {
    const from = e.relatedTarget;
    if (from instanceof HTMLElement && !panel.current?.contains(from)) cameFrom.current = from;
    const el = e.target as HTMLElement;
    lastFocused.current = { el, conversation: el.closest<HTMLElement>('[data-testid="conversation"]')?.dataset.id ?? null };
  };

  // A deleted comment or conversation takes its focused Delete button with it, and the browser drops
  // focus to the top of the page: keep a keyboard user in the panel, on what is left of the thread.
  useLayoutEffect(() => {
    const last = lastFocused.current;
    if (!last || last.el.isConnected || !panel.current || !focusLost(panel.current)) return;
    const thread = last.conversation === null ? undefined : [...(list.current?.querySelectorAll<HTMLElement>('[data-testid="conversation"]') ?? [])].find((e) => e.dataset.id === last.conversation);
    (thread ?? heading.current)?.focus();
  });

  // Closing (Escape, the close button, the top bar's toggle) gives focus back to where it came from,
  // or to the toggle that reopens the panel; it is not left on nodes about to be removed.
  useLayoutEffect(() => {
    const node = panel.current;
    return () => {
      if (!node || !node.contains(focusedIn(node))) return;
      const back = cameFrom.current?.isConnected ? cameFrom.current : (node.getRootNode() as ParentNode).querySelector<HTMLElement>(`[aria-controls="${PANEL_ID}"]`);
      back?.focus();
    };
  }, []);

  // Bring the thread that was just opened (by a click on its highlight) into view.
  useEffect(() => {
    if (activeId === null || !list.current) return;
    const el = [...list.current.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].find((e) => e.dataset.id === activeId);
    el?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const item = (orphaned: boolean) => (c: LocalConversation) => (
    <ConversationCard key={c.id} conversation={c} orphaned={orphaned} deleted={deleted.has(c.id)} self={self} active={c.id === activeId} refusedEdits={refusedEdits} actions={actions} />
  );

  return (
    <aside
      ref={panel}
      id={PANEL_ID}
      class="panel"
      data-testid="panel"
      aria-label="Conversations on this page"
      onFocusIn={onFocusIn}
      onKeyDown={(e) => {
        // An Escape a field inside already used (leaving an edit) is not also "close the panel".
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        actions.togglePanel();
      }}
    >
      <header>
        <h2 ref={heading} tabIndex={-1}>
          Conversations
        </h2>
        <button type="button" class="link" aria-label="Close the conversations" onClick={() => actions.togglePanel()}>
          ×
        </button>
      </header>
      <div class="list" ref={list}>
        {anchored.length === 0 && orphaned.length === 0 && <p class="empty">No conversations yet. Select text on the page to start one.</p>}
        {/* One array of keyed children, not a section (nor two arrays: each would be a fragment of its
            own) for the lost ones: a conversation that moves between the two, its text gone from the page
            or back, keeps its view and the reply typed in it. */}
        {[
          ...anchored.map(item(false)),
          ...(orphaned.length > 0
            ? [
                <h3 key="orphaned" class="orphaned" data-testid="orphaned">
                  Not found on this page
                </h3>,
              ]
            : []),
          ...orphaned.map(item(true)),
        ]}
      </div>
    </aside>
  );
}
