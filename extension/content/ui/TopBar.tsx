import type { ConnectionState } from '../../../protocol/runtime.js';
import type { User } from '../../../protocol/model.js';
import { PANEL_ID } from './Panel.js';

interface Props {
  connection: ConnectionState;
  viewers: number;
  users: User[];
  collapsed: boolean;
  panelOpen: boolean;
  count: number;
  onToggle(): void;
  onTogglePanel(): void;
}

export function TopBar({ connection, viewers, users, collapsed, panelOpen, count, onToggle, onTogglePanel }: Props) {
  if (collapsed) {
    return (
      <div class="topbar collapsed" data-testid="topbar" role="region" aria-label="Gloss">
        <button type="button" data-testid="topbar-toggle" title="Show the Gloss bar" aria-label="Show the Gloss bar" aria-expanded="false" onClick={() => onToggle()}>
          Gloss
        </button>
      </div>
    );
  }
  return (
    <div class="topbar" data-testid="topbar" role="region" aria-label="Gloss">
      <span data-testid="viewers" title={users.map((u) => u.name).join(', ')}>{`${viewers} viewing`}</span>
      <span class="sr-only">Connection:</span>
      <span class={`state ${connection}`} data-testid="connection">
        {connection}
      </span>
      <button type="button" data-testid="panel-toggle" aria-expanded={panelOpen} aria-controls={PANEL_ID} aria-label={panelOpen ? 'Hide conversations' : undefined} onClick={() => onTogglePanel()}>
        {panelOpen ? 'Hide' : `Conversations (${count})`}
      </button>
      <button type="button" data-testid="topbar-toggle" title="Collapse the Gloss bar" aria-label="Collapse the Gloss bar" aria-expanded="true" onClick={() => onToggle()}>
        –
      </button>
    </div>
  );
}
