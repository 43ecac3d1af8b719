import type { User } from '../../protocol/model.js';
import { displayName } from '../../protocol/names.js';

export interface Viewer {
  id: string;
  name: string;
  you: boolean;
}

/**
 * The viewers as the popup lists them: the user first, marked, since a name is not unique (every
 * anonymous user may be "Anonymous", protocol/names.ts), then the others by name. The server counts a user once
 * however many tabs and browsers they have; an id twice is still listed once.
 */
export function viewerList(users: readonly User[], self: User | null): Viewer[] {
  const byId = new Map<string, Viewer>();
  for (const u of users) if (!byId.has(u.id)) byId.set(u.id, { id: u.id, name: displayName(u.name), you: u.id === self?.id });
  return [...byId.values()].sort((a, b) => Number(b.you) - Number(a.you) || a.name.localeCompare(b.name));
}

/** Said of the viewers while the tab's connection is not live: the last the server sent (the bar's words, content/ui/TopBar.tsx). */
export const STALE_VIEWERS = 'last known, not live';

/** The server lists at most 100 viewers (MAX_LISTED_USERS) and counts them all. */
export function unlistedText(viewers: number, listed: number): string | null {
  const more = viewers - listed;
  return more > 0 ? `and ${more} more` : null;
}
