import type { ConnectionReason, ConnectionState } from '../../../protocol/runtime.js';
import type { User } from '../../../protocol/model.js';
import { shownName } from '../state/names.js';
import { ariaKeys, withKeys } from './key-hint.js';
import { PANEL_ID } from './panel-id.js';

interface Props {
  connection: ConnectionState;
  reason: ConnectionReason | null;
  viewers: number;
  users: User[];
  collapsed: boolean;
  panelOpen: boolean;
  count: number;
  /** How many of them are new or have new replies since the user's last visit (state/unseen.ts). */
  unseen: number;
  /** The browser shortcut `toggle-panel`'s keys now, null when unbound (protocol/runtime.ts, ShortcutKeys). */
  shortcut: string | null;
  onToggle(): void;
  onTogglePanel(): void;
}

/** Why the bar is offline when the server refused Gloss; the popup, where the token is set, says more. */
export const REFUSED_TEXT = 'The server refused Gloss: check the access token in its settings';

/**
 * Why the bar is not live when the server is at its limit of connections from this network address
 * (an office behind one NAT address): nothing to fix in the settings, and Gloss tries again itself.
 */
export const BUSY_TEXT = 'The server is at its limit of connections from your network; Gloss retries by itself';

/** The bar's words for why it is not live, when the server said why; null when there is nothing to add. */
export function connectionWhy(connection: ConnectionState, reason: ConnectionReason | null): string | null {
  if (connection === 'live' || reason === null) return null;
  if (reason === 'busy') return BUSY_TEXT;
  return connection === 'offline' ? REFUSED_TEXT : null;
}

/**
 * Said of the viewers while the connection is not live: the count and names are the last the server
 * sent, kept rather than hidden (who was here is still worth knowing), but marked, as the toolbar
 * badge marks a count that is not live (grey, its tooltip "not live"; docs/architecture.md).
 */
export const STALE_VIEWERS = 'last known, not live';

export function TopBar({ connection, reason, viewers, users, collapsed, panelOpen, count, unseen, shortcut, onToggle, onTogglePanel }: Props) {
  const why = collapsed ? null : connectionWhy(connection, reason);
  const stale = connection !== 'live';
  // The panel's and the popup's name rule: a blank name is "Anonymous" here too, not an empty gap.
  const names = users.map(shownName).join(', ');
  // One toggle element in both states, last in the bar: a bar that rendered a new button on each press
  // removed the focused one, and a keyboard user who collapsed or expanded it was dropped to the page.
  return (
    <div class={collapsed ? 'topbar collapsed' : 'topbar'} data-testid="topbar" role="region" aria-label="Gloss">
      {!collapsed && (
        <>
          <span data-testid="viewers" class={stale ? 'stale' : undefined} title={stale ? `${names} (${STALE_VIEWERS})` : names}>{`${viewers} viewing`}</span>
          {stale && (
            <span class="sr-only" data-testid="viewers-stale">
              {`(${STALE_VIEWERS})`}
            </span>
          )}
          <span class="sr-only">Connection:</span>
          <span class={`state ${connection}`} data-testid="connection">
            {connection}
          </span>
          {why !== null && (
            <span class="why" data-testid="connection-why">
              {why}
            </span>
          )}
          {/* The same words open or closed, drawn pressed while open (styles.ts): a label that turned into "Hide" made the
              bar 85 px narrower, and the count and state beside it jumped right as the panel opened (UX review). */}
          <button
            type="button"
            data-testid="panel-toggle"
            aria-expanded={panelOpen}
            aria-controls={PANEL_ID}
            title={withKeys(panelOpen ? 'Hide conversations' : 'Show conversations', shortcut)}
            aria-keyshortcuts={shortcut === null ? undefined : (ariaKeys(shortcut) ?? undefined)}
            onClick={() => onTogglePanel()}
          >
            {`Conversations (${count}`}
            {/* "(6 · 2 new)": short enough for the bar; a screen reader hears "(6, 2 new)", not "middle dot". */}
            {unseen > 0 && (
              <>
                <span aria-hidden="true">{' \u00b7'}</span>
                <span class="sr-only">,</span>
                <span data-testid="panel-toggle-new">{` ${unseen} new`}</span>
              </>
            )}
            {')'}
          </button>
        </>
      )}
      <button
        type="button"
        data-testid="topbar-toggle"
        title={collapsed ? 'Show the Gloss bar' : 'Collapse the Gloss bar'}
        aria-label={collapsed ? 'Show the Gloss bar' : 'Collapse the Gloss bar'}
        aria-expanded={!collapsed}
        onClick={() => onToggle()}
      >
        {collapsed ? 'Gloss' : '–'}
      </button>
    </div>
  );
}
