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
export function broadcastFrame(page: number, id: string, seq: number, createdAt: number = Date.now()): string {
  const { chat } = createRequest(page, id);
  const event = {
    broadcastId: id,
    seq,
    pageKey: `en.wikipedia.org/wiki/Regression_testing_${page}`,
    id,
    chat: { target: chat.target, text: chat.text, author: { id: 'anon-KpZXnpEuB6isDBGDT69FRT', name: 'Alice' }, createdAt },
  };
  return `42${JSON.stringify(['new-text-chat', encodeNewTextChat(event)])}`;
}

/**
 * A message built once per page with its varying values left as holes, then filled by
 * concatenation: what the load driver sends 4,000 times a second. Why: serializing the same ~700
 * bytes of JSON for every send was a tenth of the driver's busy time at that rate (docs/benchmarks.md,
 * change 30), and a driver that saturates first measures itself. `text` is the message built with
 * each varying value replaced by its marker; a marker may occur several times (a create's id is
 * also its broadcastId) and must occur at least once.
 */
export function template(text: string, markers: string[]): (values: (string | number)[]) => string {
  const parts: string[] = [];
  const holes: number[] = [];
  let from = 0;
  for (;;) {
    let at = -1;
    let which = -1;
    markers.forEach((m, i) => {
      const found = text.indexOf(m, from);
      if (found >= 0 && (at < 0 || found < at)) [at, which] = [found, i];
    });
    if (at < 0) break;
    parts.push(text.slice(from, at));
    holes.push(which);
    from = at + markers[which]!.length;
  }
  parts.push(text.slice(from));
  markers.forEach((m, i) => {
    if (!holes.includes(i)) throw new Error(`template: marker ${m} does not occur`);
  });
  return (values) => {
    let out = parts[0]!;
    for (let i = 0; i < holes.length; i++) out += String(values[holes[i]!]) + parts[i + 1]!;
    return out;
  };
}

const ID_MARK = '00000000-0000-7000-8000-00000000beef';
// Numbers that occur nowhere else in the typical conversation's frame, standing in for seq and createdAt.
const SEQ_MARK = 987654321;
const AT_MARK = 1234567890123;
const templates = new Map<string, (values: (string | number)[]) => string>();

function cached(key: string, make: () => (values: (string | number)[]) => string) {
  let t = templates.get(key);
  if (!t) templates.set(key, (t = make()));
  return t;
}

/** `createRequest(page, id)` as the JSON array a Socket.IO event carries: `["text-chat:create",{…}]`. */
export function createEventJson(page: number, id: string): string {
  return cached(`create ${page}`, () => template(JSON.stringify(['text-chat:create', createRequest(page, ID_MARK)]), [ID_MARK]))([id]);
}

/** `broadcastFrame(page, id, seq, createdAt)`, from a template. */
export function broadcastFrameFast(page: number, id: string, seq: number, createdAt: number = Date.now()): string {
  return cached(`broadcast ${page}`, () => template(broadcastFrame(page, ID_MARK, SEQ_MARK, AT_MARK), [ID_MARK, String(SEQ_MARK), String(AT_MARK)]))([id, seq, createdAt]);
}
