import type { ComposerTarget } from './composer-target.js';
import { lastLineRect } from './rect.js';
import type { PageSelection } from './watch.js';

/**
 * Fixed-position affordances (the Annotate button, the composer) follow their text when the page
 * scrolls or resizes: the selection's rectangle is measured again and `moved` asks for a render.
 */
export function followSelection(
  win: Window,
  at: { selection: PageSelection | null; composer: ComposerTarget | null },
  moved: () => void,
  signal: AbortSignal,
): void {
  const follow = () => {
    if (!at.selection && !at.composer) return;
    if (at.selection) at.selection = { ...at.selection, rect: lastLineRect(at.selection.range) };
    moved();
  };
  win.addEventListener('scroll', follow, { signal, passive: true, capture: true });
  win.addEventListener('resize', follow, { signal, passive: true });
}
