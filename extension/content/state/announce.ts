import type { Model } from './model.js';
import type { PostKind } from './own-posts.js';

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
