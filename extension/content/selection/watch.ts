import { lastLineRect, type Rect } from './rect.js';

/**
 * Watches the page's text selection and reports a usable one (non-empty text inside the annotatable
 * root, not in our own UI) or null. Host-page code: no UI here.
 *
 * `selectionchange` also covers selections made by keyboard or script; while a mouse button is down
 * the report waits for the release, so the affordance does not chase the pointer mid-drag.
 */
export interface PageSelection {
  range: Range;
  /** Viewport coordinates of the selection's last line, for placing the affordance. */
  rect: Rect;
}

export function watchSelection(
  doc: Document,
  root: () => Element,
  ownHost: Element,
  onChange: (selection: PageSelection | null) => void,
  signal: AbortSignal,
): void {
  let pointerDown = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const report = () => {
    clearTimeout(timer);
    if (signal.aborted) return;
    onChange(readSelection(doc, root(), ownHost));
  };
  const later = () => {
    clearTimeout(timer);
    if (!pointerDown) timer = setTimeout(report, 100);
  };

  // On the window, capturing: the first stop of every event, so a page that stops them on their way
  // (an anti-copy script on selectionchange, widgets that keep their pointer releases) does not
  // blind us. Only a page listener that stops them at the window itself, registered before us, could.
  const win = doc.defaultView ?? doc;
  win.addEventListener('selectionchange', later, { signal, capture: true });
  win.addEventListener(
    'pointerdown',
    (e) => {
      if (!e.composedPath().includes(ownHost)) pointerDown = true;
    },
    { signal, capture: true },
  );
  const released = () => {
    if (!pointerDown) return;
    pointerDown = false;
    // Let the browser settle the selection (a click collapses it after pointerup).
    clearTimeout(timer);
    timer = setTimeout(report, 10);
  };
  win.addEventListener('pointerup', released, { signal, capture: true });
  // A pointer the browser takes over (a drag of the selection, a touch that pans) ends with
  // pointercancel and never sends pointerup: without this, no later selection would be reported.
  win.addEventListener('pointercancel', released, { signal, capture: true });
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
}

export function readSelection(doc: Document, root: Element, ownHost: Element): PageSelection | null {
  const selection = doc.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (range.collapsed || range.toString().trim() === '') return null;
  const common = range.commonAncestorContainer;
  if (ownHost.contains(common) || range.intersectsNode(ownHost)) return null;
  if (!root.contains(common)) return null;
  return { range: range.cloneRange(), rect: lastLineRect(range) };
}
