interface Props {
  message: string;
  onDismiss(): void;
}

export function ErrorNotice({ message, onDismiss }: Props) {
  return (
    <div class="error" role="alert">
      <span data-testid="error">{message}</span>
      <button type="button" class="link" aria-label="Dismiss" onClick={() => onDismiss()}>
        ×
      </button>
    </div>
  );
}
