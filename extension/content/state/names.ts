import type { User } from '../../../protocol/model.js';

/** The name the panel shows for a user: an anonymous user may have left theirs empty. */
export function shownName(user: User): string {
  return user.name || 'Anonymous';
}
