/**
 * Calls `onNear` when `target` comes within one height of `root`'s visible part, below it, and once
 * at the start if it already is: the panel renders more cards before the user reaches the end of
 * those it has (ui/panel-window.ts). Nothing happens where the browser has no IntersectionObserver
 * (the button the target is still renders more when pressed). Stops when `signal` aborts.
 */
export function whenNear(target: Element, root: Element, onNear: () => void, signal: AbortSignal): void {
  if (signal.aborted || typeof IntersectionObserver === 'undefined') return;
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) onNear();
  }, { root, rootMargin: '0px 0px 100% 0px' });
  seen.observe(target);
  signal.addEventListener('abort', () => seen.disconnect(), { once: true });
}
