import type { Identity } from '../auth/identity.js';

/**
 * Who may change what in a tenant's conversations (docs/architecture.md, "Moderators"). Adding a
 * comment and resolving/reopening are open to everyone in the tenant, as in a shared document's
 * comment thread: resolving is moderation of the page, not of someone's words, so neither has a rule here.
 */

/**
 * Editing a comment: its author alone, moderators included. A comment is shown under its author's
 * name, so an edit by anyone else would put that name over words its owner never wrote, misleading
 * every reader; a moderator removes instead (mayRemove), and the author can write again.
 */
export function mayEditComment(who: Identity, authorId: string): boolean {
  return who.user.id === authorId;
}

/**
 * Deleting a comment or a conversation, and restoring a deleted conversation (the undo of its
 * deletion): its author, or a moderator of the tenant. Removing is the moderation action: it takes
 * words away without attributing new ones to anybody.
 */
export function mayRemove(who: Identity, authorId: string): boolean {
  return who.user.id === authorId || who.role === 'moderator';
}
