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

  const item = (c: LocalConversation) => (
    <ConversationView key={c.id} conversation={c} self={self} active={c.id === activeId} actions={actions} />
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
        {anchored.map(item)}
        {orphaned.length > 0 && (
          <section class="orphaned" data-testid="orphaned">
            <h3>Not found on this page</h3>
            {orphaned.map(item)}
          </section>
        )}
      </div>
    </aside>
  );
}
