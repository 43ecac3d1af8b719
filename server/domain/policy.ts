import type { Identity } from '../auth/identity.js';

/**
 * Authorship: only the author of a conversation or comment, or a moderator of the tenant, may edit or
 * delete it. Adding a comment and resolving/reopening are open to everyone in the tenant, as in a
 * shared document's comment thread: resolving is moderation of the page, not of someone's words.
 */
export function mayModify(who: Identity, authorId: string): boolean {
  return who.user.id === authorId || who.role === 'moderator';
}
