import { uuidv7 } from '../../protocol/ids.js';
import { encodeNewTextChat } from '../../protocol/wire.js';

/**
 * The typical conversation of docs/protocol.md: a 120-character quote with 32 characters of prefix
 * and suffix, a 200-character first comment, on a Wikipedia-like URL.
 */
const fit = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);

export const QUOTE = fit('Regression testing is re-running functional and non-functional tests to ensure that previously developed software still performs. ', 120);
export const PREFIX = fit('The article opens by saying that ', 32);
export const SUFFIX = fit(' performs after a change. It is a', 32);
export const COMMENT = fit('This definition misses the point that regression suites grow without bound; somebody has to prune them, or every change ends up waiting on hours of tests that nobody reads any more. Worth a paragraph. ', 200);
export const REPLY = fit('Agreed: the pruning question is the real cost of regression testing, and the article should say who decides which tests are retired and on what evidence. I can draft the paragraph this week if you like. ', 200);

export function pageUrl(page: number): string {
  return `https://en.wikipedia.org/wiki/Regression_testing_${page}?utm_source=newsletter#History`;
}

/** The create the extension sends: one UUID names the conversation and serves as the create's broadcastId. */
export function createRequest(page: number, id: string = uuidv7(), broadcastId: string = id) {
  return {
    broadcastId,
    chat: {
      id,
      url: pageUrl(page),
      target: {
        selector: [
          { type: 'TextQuoteSelector' as const, exact: QUOTE, prefix: PREFIX, suffix: SUFFIX },
          { type: 'TextPositionSelector' as const, start: 1200, end: 1320 },
        ],
      },
      text: COMMENT,
    },
  };
}

/**
 * What Gloss broadcasts for that create, byte for byte in shape (the baseline relays this frame, so
 * both servers move the same bytes): the protocol's tuple, its broadcastId being its id.
 * `author` is an anonymous user as the server names one.
 */
export function broadcastFrame(page: number, id: string, seq: number): string {
  const { chat } = createRequest(page, id);
  const event = {
    broadcastId: id,
    seq,
    pageKey: `en.wikipedia.org/wiki/Regression_testing_${page}`,
    id,
    chat: { target: chat.target, text: chat.text, author: { id: 'anon-KpZXnpEuB6isDBGDT69FRT', name: 'Alice' }, createdAt: Date.now() },
  };
  return `42${JSON.stringify(['new-text-chat', encodeNewTextChat(event)])}`;
}
