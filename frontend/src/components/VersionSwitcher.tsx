interface Props {
  /** 0-based. */
  index: number;
  count: number;
  what: string;
  onShow: (index: number) => void;
  disabled: boolean;
}

/** ‹ 2/3 ›: which version of an edited question or a regenerated answer is shown. */
export function VersionSwitcher({ index, count, what, onShow, disabled }: Props) {
  return (
    <span className="versions" role="group" aria-label={`Versions of this ${what}`}>
      <button
        type="button"
        className="action"
        data-testid="version-prev"
        aria-label={`Previous version of this ${what}`}
        disabled={disabled || index === 0}
        onClick={() => onShow(index - 1)}
      >
        ‹
      </button>
      <span data-testid="version-label" aria-live="polite">
        {index + 1}/{count}
      </span>
      <button
        type="button"
        className="action"
        data-testid="version-next"
        aria-label={`Next version of this ${what}`}
        disabled={disabled || index === count - 1}
        onClick={() => onShow(index + 1)}
      >
        ›
      </button>
    </span>
  );
}
