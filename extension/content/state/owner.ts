import type { User } from '../../../protocol/model.js';

/** "Own" means the same user id as the session's; with no session yet, nothing is ours to change. */
export function isOwn(author: User, self: User | null): boolean {
  return self !== null && author.id === self.id;
}

/**
 * Whether the panel offers Delete on an item: the user's own, or anyone's for a moderator (the
 * server's `mayRemove`, server/domain/policy.ts, allows them; it stays the judge and refuses
 * `forbidden` to anyone else). Edit stays the author's alone, as the server's `mayEditComment` says:
 * words rewritten by a moderator would still read as the author's (docs/architecture.md, "Moderators").
 */
export function mayDelete(author: User, self: User | null, moderator: boolean): boolean {
  return isOwn(author, self) || (self !== null && moderator);
}
