import type { User } from '../../../protocol/model.js';
import type { UnseenKind } from '../../../protocol/runtime.js';
import { shownName } from './names.js';

/** Characters of the quote a card's name keeps: enough to tell cards apart, short enough to hear. */
const QUOTE_CHARS = 60;

/**
 * The accessible name of a conversation's card. Focus lands on the card itself after an undo, on a
 * deletion nearby and from a link (ConversationView.tsx); an unnamed `article` is announced as
 * "article" alone, so a screen-reader user could not tell which one they are on without reading it
 * through. Who started it, on which words, whether it is resolved, and whether it is new since the
 * user's last visit (its badge says so to the eye; the name overrides the card's text for a screen
 * reader, so it says so too): the card says the rest.
 */
export function cardName(author: User, quote: string, resolved: boolean, unseen: UnseenKind | null = null): string {
  const words = quote.replace(/\s+/g, ' ').trim();
  // By code points, so an emoji or an accented letter is never cut in two.
  const points = Array.from(words);
  const shown = points.length > QUOTE_CHARS ? `${points.slice(0, QUOTE_CHARS).join('').trimEnd()}…` : words;
  return `Conversation by ${shownName(author)} on “${shown}”${resolved ? ', resolved' : ''}${unseen === null ? '' : `, ${UNSEEN_TEXT[unseen].toLowerCase()}`}`;
}

/** A card's badge for what is new since the user's last visit (background/visit.ts): words, not a colour alone. */
export const UNSEEN_TEXT: Record<UnseenKind, string> = { new: 'New', replies: 'New replies' };
