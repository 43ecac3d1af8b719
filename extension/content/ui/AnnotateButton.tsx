interface Props {
  left: number;
  top: number;
  onOpen(): void;
}

export function AnnotateButton({ left, top, onOpen }: Props) {
  return (
    <button
      type="button"
      class="annotate primary"
      data-testid="annotate-button"
      style={{ left: `${left}px`, top: `${top}px` }}
      // Keep the page selection: a mousedown on a button would otherwise collapse it.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onOpen()}
    >
      Annotate
    </button>
  );
}
