import type { User } from '../../../protocol/model.js';
import { displayName } from '../../../protocol/names.js';

/** The name the panel shows (and searches) for a user: protocol/names.ts says what a name is. */
export function shownName(user: User): string {
  return displayName(user.name);
}
