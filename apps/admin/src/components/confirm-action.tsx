import { useState } from 'react';

/**
 * A row's destructive action asked twice: "Remove…" opens "Remove pg-a" (and Cancel) in its place;
 * `onConfirm(close)` runs the action and closes the question with `close` once it settles.
 */
export function ConfirmAction({
  label,
  confirmLabel,
  busy = false,
  disabled = false,
  title,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  busy?: boolean;
  /** The first button cannot be pressed (say why in `title`). */
  disabled?: boolean;
  title?: string | undefined;
  onConfirm: (close: () => void) => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="secondary outline small" disabled={disabled} title={title} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm-row">
      <button type="button" className="danger small" disabled={busy} aria-busy={busy} onClick={() => onConfirm(() => setAsking(false))}>
        {confirmLabel}
      </button>
      <button type="button" className="secondary outline small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
