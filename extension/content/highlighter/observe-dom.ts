import { openShadowRoot, openShadowRootsIn, shadowRootsAround } from '../anchoring/composed.js';
import { onShadowAttached } from './shadow-attached.js';

export interface ObserveOptions {
  delay?: number;
  maxWait?: number;
  upgradePoll?: number;
  /** Told at once of every change that `onChange` will report (debounced): work that read the page before it is stale. */
  onStale?: () => void;
}

/**
 * Calls `onChange` (debounced) when the page's DOM changes in a way that can move or break anchors.
 * Mutations of our own nodes (the UI host first, then e.g. our highlight <style>) are ignored, or our
 * own rendering would re-anchor in a loop.
 *
 * A page that never pauses (a ticking clock, a video's time, a live feed) would push a plain
 * debounce back forever, and text loaded meanwhile would never be highlighted: so a run of changes
 * waits at most `maxWait` from its first change.
 *
 * Open shadow trees are part of the text model, but a MutationObserver on the document sees nothing
 * inside them: each open shadow root is observed too, those there at the start and those that come
 * with added elements. Attaching a shadow root is no mutation at all, and a custom element whose
 * definition loads late is upgraded (and typically gets its shadow root) with nothing else changing:
 * while elements of the page are not yet defined (`:not(:defined)`), they are checked again every
 * `upgradePoll` ms (less often while none gets defined), and one that got a shadow root counts as a change.
 * A root attached later to an element that is already there (a component that renders on a click, a
 * page script giving a plain element one) is named by the page-world script
 * (main-world/attach-shadow.ts) the moment it is attached: no poll could find that element without
 * walking the whole page every time.
 *
 * Returns `takeChanges`: reports at once (`onStale`) the changes the MutationObserver holds and has
 * not delivered yet, those made earlier in the running task. Its callback comes at the end of the
 * task that changed the page, before any later one; work that keeps a read of the page across tasks
 * (sliced-anchoring.ts) calls this first to be sure of it within a task too.
 */
export function observeDom(
  target: Node,
  ownNodes: readonly Node[],
  onChange: () => void,
  signal: AbortSignal,
  { delay = 250, maxWait = 1000, upgradePoll = 500, onStale = () => {} }: ObserveOptions = {},
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let poll: ReturnType<typeof setTimeout> | undefined;
  const observed = new WeakSet<Node>();
  let pending: Element[] = [];
  const fire = () => {
    clearTimeout(timer);
    clearTimeout(deadline);
    timer = deadline = undefined;
    if (!signal.aborted) onChange();
  };
  const changed = () => {
    if (!signal.aborted) onStale();
    clearTimeout(timer);
    timer = setTimeout(fire, delay);
    deadline ??= setTimeout(fire, maxWait);
  };
  const take = (records: MutationRecord[]) => {
    const relevant = records.filter((r) => !onlyOwn(r, ownNodes));
    if (relevant.length === 0) return;
    for (const r of relevant) for (const n of r.addedNodes) if (n.nodeType === 1 && !ownNodes.includes(n)) watchShadowsIn(n);
    changed();
  };
  const observer = new MutationObserver(take);
  const observe = (node: Node) => {
    if (observed.has(node)) return;
    observed.add(node);
    observer.observe(node, { childList: true, subtree: true, characterData: true });
  };
  /** Observes the open shadow roots under `node`; true when there was one not observed yet. */
  function watchShadowsIn(node: Node): boolean {
    let fresh = false;
    for (const root of openShadowRootsIn(node)) {
      if (observed.has(root)) continue;
      observe(root);
      fresh = true;
    }
    noteUndefined(node);
    return fresh;
  }
  // The check slows down (to 8 × upgradePoll) while nothing gets defined: a page may well use
  // custom element names it never defines.
  let interval = upgradePoll;
  function noteUndefined(node: Node): void {
    const found = undefinedIn(node).filter((el) => !ownNodes.includes(el));
    if (found.length === 0) return;
    pending.push(...found);
    interval = upgradePoll;
    poll ??= setTimeout(checkUpgrades, interval);
  }
  function checkUpgrades(): void {
    poll = undefined;
    if (signal.aborted) return;
    const waiting = pending;
    pending = [];
    let upgraded = false;
    for (const el of waiting) {
      if (!el.isConnected) continue;
      if (isDefined(el)) upgraded = watchShadowsIn(el) || upgraded;
      else pending.push(el);
    }
    if (upgraded) changed();
    interval = upgraded ? upgradePoll : Math.min(interval * 2, upgradePoll * 8);
    if (pending.length > 0) poll ??= setTimeout(checkUpgrades, interval);
  }

  observe(target);
  watchShadowsIn(target);
  let attachedThisTurn = false;
  // Anyone in the page can send this signal, for any element, as often as it likes: an element whose
  // open root is observed already costs one lookup, and nothing but its open root is read. The real
  // signal comes from inside attachShadow, whose new root is always empty then: observing it is all
  // there is to do (what the page puts in it next is a mutation), which keeps a page that attaches
  // thousands of roots from paying for a walk of each. Only a root named by hand can hold text yet.
  onShadowAttached(
    target.ownerDocument ?? (target as Document),
    (host) => {
      const root = openShadowRoot(host);
      if (!root || observed.has(root) || !host.isConnected || isOwn(host, ownNodes)) return;
      observe(root);
      if (root.firstChild !== null) watchShadowsIn(root);
      // A page attaching many roots in one go (a late definition upgrading every element of a list)
      // restarts the debounce once, not once a root.
      if (!attachedThisTurn) {
        attachedThisTurn = true;
        queueMicrotask(() => {
          attachedThisTurn = false;
          changed();
        });
      }
    },
    signal,
  );
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      clearTimeout(deadline);
      clearTimeout(poll);
      observer.disconnect();
    },
    { once: true },
  );
  return () => {
    if (!signal.aborted) take(observer.takeRecords());
  };
}

/** Elements under `node` (itself included) and in its open shadow trees that are not defined yet. */
function undefinedIn(node: Node): Element[] {
  const out: Element[] = [];
  const scopes: (Element | ShadowRoot | Document)[] = [node as Element, ...openShadowRootsIn(node)];
  for (const scope of scopes) {
    if (typeof scope.querySelectorAll !== 'function') continue;
    try {
      if (scope.nodeType === 1 && !isDefined(scope as Element)) out.push(scope as Element);
      out.push(...scope.querySelectorAll(':not(:defined)'));
    } catch {
      // A DOM without the :defined pseudo-class: late upgrades go unseen there.
      return out;
    }
  }
  return out;
}

function isDefined(el: Element): boolean {
  return el.matches(':defined');
}

/** True for an element of our own UI, also one inside its shadow tree (which we never observe). */
function isOwn(el: Element, ownNodes: readonly Node[]): boolean {
  const outermost = shadowRootsAround(el).at(-1)?.host ?? el;
  return ownNodes.some((n) => n.contains(outermost));
}

function onlyOwn(r: MutationRecord, ownNodes: readonly Node[]): boolean {
  if (ownNodes.some((n) => n.contains(r.target)) || isOwnStyle(r.target)) return true;
  if (r.type !== 'childList') return false;
  const nodes = [...r.addedNodes, ...r.removedNodes];
  return nodes.length > 0 && nodes.every((n) => ownNodes.includes(n) || isOwnStyle(n));
}

/** The highlight rule highlights.ts puts into a shadow root that cannot adopt a stylesheet. */
function isOwnStyle(n: Node): boolean {
  return n.nodeType === 1 && (n as Element).localName === 'style' && (n as HTMLElement).dataset.gloss === 'highlight';
}
