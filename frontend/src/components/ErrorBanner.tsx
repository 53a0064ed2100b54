interface Props {
  message: string;
  onRetry: () => void;
  onDismiss: () => void;
}

export function ErrorBanner({ message, onRetry, onDismiss }: Props) {
  return (
    <div className="error-banner" data-testid="error-banner" role="alert">
      <span className="error-message">{message}</span>
      <button type="button" onClick={onRetry} data-testid="retry-button">
        Retry
      </button>
      <button type="button" onClick={onDismiss} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
