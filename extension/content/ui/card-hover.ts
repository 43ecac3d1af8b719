import { useEffect, useMemo, useRef } from 'preact/hooks';

/** The conversation of the card `target` is in, if any. */
export function cardOf(target: EventTarget | null): string | null {
  return target instanceof Element ? (target.closest<HTMLElement>('[data-testid="conversation"]')?.dataset.id ?? null) : null;
}

export interface CardHover {
  /** The pointer went over an element of the panel (pointerover: element to element, not every move). */
  pointerOver(e: PointerEvent): void;
  /** The pointer left the panel. */
  pointerLeave(): void;
  /** Focus is on `id`'s card or inside it (null: elsewhere in the panel, or out of it). */
  focused(id: string | null): void;
}

/**
 * Tells the controller which card the reader is on (`hoverCard`), so its highlight in the page is
 * drawn hovered: the one under the pointer, else the one the keyboard focus is in (the same cue for
 * a keyboard user). Told only when that changes, so the pointer moving within a card, or from card
 * to card's gap and back, asks for no render; and none once the panel goes (its cards with it).
 */
export function useCardHover(hoverCard: (id: string | null) => void): CardHover {
  const now = useRef<{ pointer: string | null; focus: string | null; told: string | null }>({ pointer: null, focus: null, told: null });
  const tellRef = useRef(hoverCard);
  tellRef.current = hoverCard;
  const hover = useMemo<CardHover>(() => {
    const tell = () => {
      const s = now.current;
      const next = s.pointer ?? s.focus;
      if (next === s.told) return;
      s.told = next;
      tellRef.current(next);
    };
    return {
      pointerOver(e) {
        now.current.pointer = cardOf(e.target);
        tell();
      },
      pointerLeave() {
        now.current.pointer = null;
        tell();
      },
      focused(id) {
        now.current.focus = id;
        tell();
      },
    };
  }, []);
  useEffect(
    () => () => {
      if (now.current.told !== null) tellRef.current(null);
    },
    [],
  );
  return hover;
}
