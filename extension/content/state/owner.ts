import type { User } from '../../../protocol/model.js';

/** "Own" means the same user id as the session's; with no session yet, nothing is ours to change. */
export function isOwn(author: User, self: User | null): boolean {
  return self !== null && author.id === self.id;
}
