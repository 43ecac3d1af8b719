import { useLayoutEffect, useRef } from 'preact/hooks';
import { ariaKeys } from './key-hint.js';

interface Props {
  left: number;
  top: number;
  /** The browser shortcut `annotate-selection`'s keys now, null when unbound (protocol/runtime.ts, ShortcutKeys). */
  shortcut: string | null;
  onOpen(): void;
}

/** The key that opens the composer while the button shows, for readers who select with the keyboard. */
export const ANNOTATE_KEY = 'a';

export function AnnotateButton({ left, top, shortcut, onOpen }: Props) {
  const button = useRef<HTMLButtonElement>(null);

  // The button sits at the end of the document, after every focusable thing on the page: a reader who
  // selected with shift+arrows would tab through the whole page to reach it. While it shows, "a" opens
  // the composer instead (as in Hypothesis), unless they are typing somewhere. A page script that fakes
  // the key only opens a composer; posting still takes the user's own keys and clicks (ui/root.ts).
  // Listening from the render that shows the button (a layout effect): a passive effect waits for
  // the next frame, and on a slow machine an "a" pressed at the button just painted went to the page.
  useLayoutEffect(() => {
    // At the window, capturing: before the page's content can keep the key to itself.
    const win = button.current?.ownerDocument.defaultView;
    if (!win) return;
    const off = new AbortController();
    win.addEventListener(
      'keydown',
      (e) => {
        if (e.key.toLowerCase() !== ANNOTATE_KEY || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || e.repeat || e.defaultPrevented) return;
        if (isTyping(e.composedPath()[0])) return;
        e.preventDefault();
        e.stopPropagation();
        onOpen();
      },
      { capture: true, signal: off.signal },
    );
    return () => off.abort();
  }, [onOpen]);

  return (
    <button
      ref={button}
      type="button"
      class="annotate primary"
      data-testid="annotate-button"
      // The browser's shortcut works from anywhere in the page, the "a" only while the button shows:
      // both are said where a mouse user hovers and a screen reader reads the button.
      title={`Annotate the selection (${ANNOTATE_KEY.toUpperCase()}${shortcut === null ? '' : `, or ${shortcut}`})`}
      aria-keyshortcuts={[ANNOTATE_KEY.toUpperCase(), shortcut === null ? null : ariaKeys(shortcut)].filter((k) => k !== null).join(' ')}
      style={{ left: `${left}px`, top: `${top}px` }}
      // Keep the page selection: a mousedown on a button would otherwise collapse it.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onOpen()}
    >
      Annotate
    </button>
  );
}

function isTyping(target: EventTarget | undefined): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  return target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])') !== null;
}
