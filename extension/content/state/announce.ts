import type { Model } from './model.js';
import type { PostKind } from './own-posts.js';

/**
 * What a live region (the status, an alert) is to show to tell `text` now, after showing `before`:
 * `text`, with a trailing no-break space when `before` is the same words, so the press of a button
 * that is refused twice alike, or a second reply posted, is a change again. A live region speaks
 * when its text changes, never when it is set to what it shows, so without it the second telling
 * is silence.
 *
 * Why a varying suffix, and not the other usual way, emptying the region and filling it again on
 * the next frame: that needs a timer between the two, and the browser sends the screen reader the
 * accessibility tree's changes in batches, so an emptying and a filling close together can reach
 * it as no change at all (the gap commonly advised is about 100 ms, which a quick second press
 * falls inside), and an emptied alert is an empty box on screen meanwhile. The suffix is one
 * change, made with the press: the status and alert roles are atomic, so the whole region is read
 * again, and a trailing space is not spoken.
 */
export function sayAgain(before: string | null, text: string): string {
  return before === text ? `${text}\u00a0` : text;
}

/**
 * What one live region says for the tellings that came in one render, in turn: a region shows one
 * text, and set twice before the screen reader reads it, only the last was spoken (a comment posted
 * and Gloss back online, in the same messages). Each but the last ends a sentence, so they are read
 * as sentences, not run together.
 */
export function tellTogether(texts: readonly string[]): string {
  return texts.map((t, i) => (i === texts.length - 1 || /[.!?:;]$/.test(t) ? t : `${t}.`)).join(' ');
}

/** A field's problem text once its action answered `result` (null: accepted, nothing to say), heard again when it repeats. */
export function problemAfter(before: string | null, result: string | null): string | null {
  return result === null ? null : sayAgain(before, result);
}

/** Shows `text` in the error notice (ui/ErrorNotice.tsx, an alert), heard even when it already says it. */
export function showError(model: Model, text: string): void {
  model.error = sayAgain(model.error, text);
}

/** Tells the screen reader `text` (ui/Announcer.tsx), even when it is the same as last time. */
export function announce(model: Model, text: string): void {
  model.announcement = { serial: (model.announcement?.serial ?? 0) + 1, text };
}

/** The user's own comment or reply, confirmed by the server: the panel shows it only by a border. */
export function tellPosted(model: Model, kinds: PostKind[]): void {
  if (kinds.includes('conversation')) announce(model, 'Your comment was posted');
  else if (kinds.includes('reply')) announce(model, 'Your reply was posted');
}

/** Sent while the server is out of reach: it waits in this browser, which the panel shows only by a small note. */
export function tellIfWaiting(model: Model, what: string): void {
  if (model.connection !== 'live') announce(model, `${what} is not sent yet: it is kept in this browser and sent when Gloss is back online`);
}
