import { LIMITS } from '../../../protocol/limits.js';
import { isWellFormed } from '../../../protocol/well-formed.js';

/** The same rule as the protocol's CommentText, checked before sending so the user hears it at once. */
export function commentTextProblem(text: string): string | null {
  if (text.trim().length === 0) return 'Write something first';
  if (text.length > LIMITS.text) return `A comment is at most ${LIMITS.text} characters (this one has ${text.length})`;
  if (!isWellFormed(text)) return 'The comment holds a broken character (half of an emoji or symbol): delete it and type it again';
  return null;
}
