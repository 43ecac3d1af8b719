/**
 * Calls `onChange` (debounced) when the page's DOM changes in a way that can move or break anchors.
 * Mutations of our own nodes (the UI host first, then e.g. our highlight <style>) are ignored, or our
 * own rendering would re-anchor in a loop.
 *
 * A page that never pauses (a ticking clock, a video's time, a live feed) would push a plain
 * debounce back forever, and text loaded meanwhile would never be highlighted: so a run of changes
 * waits at most `maxWait` from its first change.
 */
export function observeDom(target: Node, ownNodes: readonly Node[], onChange: () => void, signal: AbortSignal, delay = 250, maxWait = 1000): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    clearTimeout(timer);
    clearTimeout(deadline);
    timer = deadline = undefined;
    if (!signal.aborted) onChange();
  };
  const observer = new MutationObserver((records) => {
    const relevant = records.some((r) => !onlyOwn(r, ownNodes));
    if (!relevant) return;
    clearTimeout(timer);
    timer = setTimeout(fire, delay);
    deadline ??= setTimeout(fire, maxWait);
  });
  observer.observe(target, { childList: true, subtree: true, characterData: true });
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      clearTimeout(deadline);
      observer.disconnect();
    },
    { once: true },
  );
}

function onlyOwn(r: MutationRecord, ownNodes: readonly Node[]): boolean {
  if (ownNodes.some((n) => n.contains(r.target))) return true;
  if (r.type !== 'childList') return false;
  const nodes = [...r.addedNodes, ...r.removedNodes];
  return nodes.length > 0 && nodes.every((n) => ownNodes.includes(n));
}
