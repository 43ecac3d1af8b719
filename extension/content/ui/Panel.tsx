import { useEffect, useRef } from 'preact/hooks';
import type { User } from '../../../protocol/model.js';
import type { LocalConversation } from '../../../protocol/runtime.js';
import type { Actions } from '../view.js';
import { ConversationView } from './ConversationView.js';

interface Props {
  anchored: LocalConversation[];
  orphaned: LocalConversation[];
  self: User | null;
  activeId: string | null;
  actions: Actions;
}

export function Panel({ anchored, orphaned, self, activeId, actions }: Props) {
  const list = useRef<HTMLDivElement>(null);

  // Bring the thread that was just opened (by a click on its highlight) into view.
  useEffect(() => {
    if (activeId === null || !list.current) return;
    const el = [...list.current.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].find((e) => e.dataset.id === activeId);
    el?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const item = (orphaned: boolean) => (c: LocalConversation) => (
    <ConversationView key={c.id} conversation={c} orphaned={orphaned} self={self} active={c.id === activeId} actions={actions} />
  );

  return (
    <aside class="panel" data-testid="panel" aria-label="Conversations on this page">
      <header>
        <span>Conversations</span>
        <button type="button" class="link" aria-label="Close" onClick={() => actions.togglePanel()}>
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
