/**
 * Calls `onChange` (debounced) when the page's DOM changes in a way that can move or break anchors.
 * Mutations of our own nodes (the UI host first, then e.g. our highlight <style>) are ignored, or our
 * own rendering would re-anchor in a loop.
 */
export function observeDom(target: Node, ownNodes: readonly Node[], onChange: () => void, signal: AbortSignal, delay = 250): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const observer = new MutationObserver((records) => {
    const relevant = records.some((r) => !onlyOwn(r, ownNodes));
    if (!relevant) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!signal.aborted) onChange();
    }, delay);
  });
  observer.observe(target, { childList: true, subtree: true, characterData: true });
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
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
