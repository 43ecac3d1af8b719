import { createContext } from 'preact';
import { useContext, useEffect, useReducer } from 'preact/hooks';
import type { PointedCards } from '../state/pointed-cards.js';

/** The controller's PointedCards (ViewState.pointed), for the cards to read without being rendered by the panel. */
export const PointedContext = createContext<PointedCards | null>(null);

/** Whether the card of `id` is marked as under the pointer in the page: its own render when that changes, no other's. */
export function usePointed(id: string): boolean {
  const pointed = useContext(PointedContext);
  const [, renderAgain] = useReducer((n: number) => n + 1, 0);
  useEffect(() => pointed?.listen(id, () => renderAgain(null)), [pointed, id]);
  return pointed?.has(id) ?? false;
}
