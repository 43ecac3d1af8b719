import * as v from 'valibot';
import { LIMITS } from './limits.js';
import { isWellFormed } from './well-formed.js';

/**
 * The data model shared by server, background and content, as valibot schemas (checked at every
 * boundary) with the TypeScript types inferred from them, so a type and its check never drift apart.
 */

export const Uuid = v.pipe(v.string(), v.uuid('must be a UUID'));

const nonBlank = (max: number, what: string) =>
  v.pipe(
    v.string(`${what} must be a string`),
    v.maxLength(max, `${what} is longer than ${max} characters`),
    v.check((s) => s.trim().length > 0, `${what} must not be blank`),
    // A text the database would not keep as sent (well-formed.ts).
    v.check(isWellFormed, `${what} has a lone surrogate (half of a character)`),
  );

export const CommentText = nonBlank(LIMITS.text, 'text');
export const DisplayName = nonBlank(LIMITS.name, 'name');

export const TextQuoteSelector = v.strictObject({
  type: v.literal('TextQuoteSelector'),
  exact: v.pipe(v.string(), v.minLength(1, 'quote must not be empty'), v.maxLength(LIMITS.quote, `quote is longer than ${LIMITS.quote} characters`)),
  prefix: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.context))),
  suffix: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.context))),
});
export type TextQuoteSelector = v.InferOutput<typeof TextQuoteSelector>;

const Offset = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9));
export const TextPositionSelector = v.pipe(
  v.strictObject({ type: v.literal('TextPositionSelector'), start: Offset, end: Offset }),
  v.check((s) => s.end > s.start, 'end must be after start'),
);
export type TextPositionSelector = v.InferOutput<typeof TextPositionSelector>;

export const Selector = v.variant('type', [TextQuoteSelector, TextPositionSelector]);
export type Selector = TextQuoteSelector | TextPositionSelector;

/** A W3C Web Annotation target: the quote is required (it is what carries an annotation across page edits). */
export const Target = v.strictObject({
  selector: v.pipe(
    v.array(Selector),
    v.minLength(1),
    v.maxLength(LIMITS.selectors),
    v.check((list) => list.some((s) => s.type === 'TextQuoteSelector'), 'target needs a TextQuoteSelector'),
  ),
});
export type Target = v.InferOutput<typeof Target>;

export const User = v.strictObject({ id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)), name: v.pipe(v.string(), v.maxLength(LIMITS.name)) });
export type User = v.InferOutput<typeof User>;

/** A time in Unix milliseconds. */
export const Millis = v.pipe(v.number(), v.integer(), v.minValue(0));

export const Comment = v.strictObject({
  id: Uuid,
  author: User,
  text: v.pipe(v.string(), v.maxLength(LIMITS.text)),
  createdAt: Millis,
  editedAt: v.optional(Millis),
});
export type Comment = v.InferOutput<typeof Comment>;

/** A conversation: an annotation (target) with its comment thread. The first comment opens it. */
export const Conversation = v.strictObject({
  id: Uuid,
  target: Target,
  author: User,
  createdAt: Millis,
  revision: v.pipe(v.number(), v.integer(), v.minValue(1)),
  resolved: v.boolean(),
  comments: v.pipe(v.array(Comment), v.maxLength(LIMITS.comments)),
});
export type Conversation = v.InferOutput<typeof Conversation>;

/** Who a socket is, as the server established it from the handshake. */
export const Role = v.picklist(['member', 'moderator']);
export type Role = v.InferOutput<typeof Role>;
