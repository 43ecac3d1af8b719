import { lastLineRect, type Rect } from './rect.js';

/** Where the Annotate button goes for a selection ending at `rect`: below its end, inside the viewport. */
export function affordanceAt(win: Window, rect: Rect): { left: number; top: number } {
  return { left: clamp(rect.right - 40, 4, win.innerWidth - 96), top: clamp(rect.bottom + 6, 4, win.innerHeight - 36) };
}

/** Where the composer for `range` goes: below its last line, inside the viewport. */
export function composerAt(win: Window, range: Range): { left: number; top: number } {
  const r = lastLineRect(range);
  return { left: clamp(r.left, 4, win.innerWidth - 308), top: clamp(r.bottom + 6, 4, win.innerHeight - 220) };
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(n, Math.max(min, max)));
}
