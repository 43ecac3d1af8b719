/**
 * The one word the page-world script (attach-shadow.ts) says to the content script: an event of this
 * type, dispatched on an element, means "an open shadow root was just attached here". Any script of
 * the page can dispatch it too, so it carries nothing else and nothing else is read from it
 * (content/highlighter/shadow-attached.ts).
 */
export const SHADOW_ATTACHED = 'gloss-shadow-attached';
