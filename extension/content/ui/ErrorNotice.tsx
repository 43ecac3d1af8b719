interface Props {
  message: string;
  onDismiss(): void;
}

export function ErrorNotice({ message, onDismiss }: Props) {
  return (
    <div class="error" role="alert">
      <span data-testid="error">{message}</span>
      <button type="button" class="link icon" aria-label="Dismiss" data-testid="error-dismiss" onClick={() => onDismiss()}>
        ×
      </button>
    </div>
  );
}
