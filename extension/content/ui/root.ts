import { rootZoom } from '../root-zoom.js';
import { UI_CSS } from './styles.js';

/** The events through which a user acts in our UI: from anyone but the user, they are dropped. */
const UNTRUSTED_BLOCKED = [
  'click', 'dblclick', 'auxclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup',
  'keydown', 'keyup', 'keypress', 'beforeinput', 'input', 'change', 'submit', 'paste', 'drop',
] as const;

/**
 * The one `<gloss-root>` host, appended to <html> so page styles on body do not reach it, with an open
 * shadow root holding our styles and UI. The host is fixed and zero-sized so the page's layout never
 * moves; inline `!important` beats any page rule that targets the element.
 */
export interface UiRoot {
  host: HTMLElement;
  shadow: ShadowRoot;
  mount: HTMLElement;
}

export function createUiRoot(doc: Document, signal: AbortSignal): UiRoot {
  const host = doc.createElement('gloss-root');
  for (const [name, value] of [
    ['all', 'initial'],
    ['position', 'fixed'],
    ['top', '0'],
    ['left', '0'],
    ['width', '0'],
    ['height', '0'],
    ['overflow', 'visible'],
    ['z-index', '2147483647'],
    ['display', 'block'],
    // Not reset by `all`, and inherited into the shadow root: on a right-to-left page our English UI
    // would be mirrored ("(Conversations (3"). People's own text gets dir="auto" where it is shown.
    ['direction', 'ltr'],
    ['unicode-bidi', 'isolate'],
  ] as const) {
    host.style.setProperty(name, value, 'important');
  }
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = UI_CSS;
  shadow.appendChild(style);
  const mount = doc.createElement('div');
  mount.className = 'gloss';
  shadow.appendChild(mount);

  // The root is open (docs/architecture.md), so the page's own scripts can reach our buttons and
  // fields. What they can read is the page's anyway; what they must not do is act as the user: an
  // event the browser did not get from the user (`isTrusted` false: `el.click()`, `dispatchEvent`)
  // stops here, before any of our handlers, so a page cannot post, edit, resolve or delete for them.
  for (const type of UNTRUSTED_BLOCKED) {
    shadow.addEventListener(type, (e) => {
      if (!e.isTrusted) e.stopImmediatePropagation();
    }, { signal, capture: true });
  }

  // Keys typed in our text fields must not reach the page's own shortcuts (they are composed events).
  for (const type of ['keydown', 'keyup', 'keypress'] as const) {
    shadow.addEventListener(type, (e) => e.stopPropagation(), { signal });
  }
  doc.documentElement.appendChild(host);
  signal.addEventListener('abort', () => host.remove(), { once: true });
  keepAttached(doc, host, signal);

  // A page that zooms its root (`html { zoom: 1.5 }`) would zoom our host with it: a bar and panel half
  // again as big, and the Annotate button placed at zoomed coordinates, off its selection. The host
  // takes the inverse zoom; media queries can change the page's, so it is read again on resize.
  const unzoom = () => host.style.setProperty('zoom', String(1 / rootZoom(doc)), 'important');
  unzoom();
  doc.defaultView?.addEventListener('resize', unzoom, { signal, passive: true });
  return { host, shadow, mount };
}

const MAX_PUT_BACKS = 5;
const PUT_BACK_WINDOW_MS = 10_000;

/**
 * Client-rendered sites that take over the whole document (a framework hydrating <html>, a router
 * rebuilding it) remove what they did not put there, our host included: the bar would be gone until
 * a reload. Put back, the same host keeps its shadow root and everything rendered in it.
 */
function keepAttached(doc: Document, host: HTMLElement, signal: AbortSignal): void {
  let root: Element | null = null;
  // A page that removes every node it did not make, each time one appears, would remove each put-back
  // in the next microtask, and the two observers would never let the tab run again. A few put-backs
  // per window cover a framework rebuilding its document; past them the page wins until the window ends.
  const putBacks: number[] = [];
  const mayPutBack = () => {
    const now = Date.now();
    while (putBacks.length > 0 && now - putBacks[0]! > PUT_BACK_WINDOW_MS) putBacks.shift();
    if (putBacks.length >= MAX_PUT_BACKS) return false;
    putBacks.push(now);
    return true;
  };
  const observer = new MutationObserver(() => {
    if (signal.aborted) return;
    if (!host.isConnected && doc.documentElement && mayPutBack()) doc.documentElement.appendChild(host);
    // A new <html> element (document.replaceChild) is watched in its turn.
    if (doc.documentElement !== root) watchRoot();
  });
  const watchRoot = () => {
    observer.disconnect();
    root = doc.documentElement;
    observer.observe(doc, { childList: true });
    if (root) observer.observe(root, { childList: true });
  };
  watchRoot();
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
