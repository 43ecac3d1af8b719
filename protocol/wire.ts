import * as v from 'valibot';
import { RestoredChat, Seq, type NewTextChat } from './events.js';
import { Comment, Target, User, Uuid, type Selector, type TextQuoteSelector } from './model.js';

/**
 * How `new-text-chat` travels: a positional tuple instead of the keyed object (as Phoenix's V2
 * serializer does for its envelopes), because the typical conversation must fit in 600 bytes on the
 * wire and the object's keys and nesting cost ~195 of them. docs/protocol.md gives the layout and
 * its measurements. Every other event stays a keyed object; so does the change log that `sinceSeq`
 * replays.
 *
 *   [seq, pageKey, id, authorId, authorName, createdAt, text, target, broadcastId?]
 *
 * `target` is compact, `[exact, prefix, suffix]` or `[exact, prefix, suffix, start, end]` (null =
 * no prefix / no suffix), when the selectors are one TextQuoteSelector optionally followed by one
 * TextPositionSelector, which is what the extension describes; any other list travels as the
 * `{ selector: [...] }` object, so the round trip stays exact, order included. `broadcastId` is
 * there only when it differs from `id`: the extension uses a create's conversation id as its
 * broadcastId, other clients may not.
 *
 * A restored conversation (`text-chat:restore`) is the same tuple with a tenth element, the keyed
 * `restored` body (its revision, state and whole thread: protocol/events.ts, RestoredChat), and then
 * always with its broadcastId. Restores are rare, so that element stays an object. An extension
 * older than restores refuses the longer tuple (its check allows 9) and drops it; its own tombstone
 * of the id keeps the conversation hidden there anyway (it refused a deleted id for good).
 */

/** `null` stands for an absent prefix or suffix. */
export type CompactTarget =
  | [exact: string, prefix: string | null, suffix: string | null]
  | [exact: string, prefix: string | null, suffix: string | null, start: number, end: number];

type Head = [seq: number, pageKey: string, id: string, authorId: string, authorName: string, createdAt: number, text: string, target: CompactTarget | Target];

/** The tuple; the trailing broadcastId only when it is not the id, or when a restored body follows it. */
export type NewTextChatWire = Head | [...Head, broadcastId: string] | [...Head, broadcastId: string, restored: RestoredChat];

const Context = v.nullable(v.string());

// Tuples with a rest and a length check rather than a union of fixed lengths, so that a refusal
// names the element at fault. Only the shape here: the expanded target then passes the model's own
// Target check (limits, end > start).
const CompactTarget = v.pipe(
  v.tupleWithRest([v.string(), Context, Context], v.number()),
  v.check((t) => t.length === 3 || t.length === 5, 'a compact target has 3 or 5 elements'),
  v.transform((t) => expandTarget(t as CompactTarget)),
  Target,
);

const headItems = [Seq, v.string(), Uuid, User.entries.id, User.entries.name, Comment.entries.createdAt, Comment.entries.text, v.union([CompactTarget, Target], 'target must be a compact target or { selector }')] as const;

const WireTuple = v.union([
  v.pipe(v.tupleWithRest([...headItems], Uuid), v.maxLength(9, 'a new-text-chat has 8 or 9 elements, 10 when restored')),
  v.strictTuple([...headItems, Uuid, RestoredChat]),
]);

/** Checks a received tuple and turns it into the NewTextChat it stands for (decodeNewTextChat's schema). */
export const NewTextChatFromWire = v.pipe(
  WireTuple,
  v.transform(
    ([seq, pageKey, id, authorId, authorName, createdAt, text, target, broadcastId = id, restored]): NewTextChat => ({
      broadcastId,
      seq,
      pageKey,
      id,
      chat: { target, text, author: { id: authorId, name: authorName }, createdAt, ...(typeof restored === 'object' ? { restored } : {}) },
    }),
  ),
);

// What the encoder produces is what the schema accepts.
const _fits: [NewTextChatWire] extends [v.InferInput<typeof WireTuple>] ? true : false = true;

function expandTarget([exact, prefix, suffix, ...position]: CompactTarget): Target {
  const quote: TextQuoteSelector = { type: 'TextQuoteSelector', exact };
  if (prefix !== null) quote.prefix = prefix;
  if (suffix !== null) quote.suffix = suffix;
  const selector: Selector[] = [quote];
  if (position.length === 2) selector.push({ type: 'TextPositionSelector', start: position[0], end: position[1] });
  return { selector };
}

function compactTarget(target: Target): CompactTarget | Target {
  const [quote, position, ...more] = target.selector;
  if (quote?.type !== 'TextQuoteSelector' || more.length > 0 || position?.type === 'TextQuoteSelector') return target;
  const { exact, prefix = null, suffix = null } = quote;
  return position ? [exact, prefix, suffix, position.start, position.end] : [exact, prefix, suffix];
}

export function encodeNewTextChat(e: NewTextChat): NewTextChatWire {
  const { target, text, author, createdAt } = e.chat;
  const head: Head = [e.seq, e.pageKey, e.id, author.id, author.name, createdAt, text, compactTarget(target)];
  if (e.chat.restored) return [...head, e.broadcastId, e.chat.restored];
  return e.broadcastId === e.id ? head : [...head, e.broadcastId];
}

/** The event a received tuple stands for, or null when it is not a valid `new-text-chat`. */
export function decodeNewTextChat(w: unknown): NewTextChat | null {
  const result = v.safeParse(NewTextChatFromWire, w);
  return result.success ? result.output : null;
}
