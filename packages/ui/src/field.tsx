import { type InputHTMLAttributes, type ReactNode, useState } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'> {
  id: string;
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  /** Shown beside the field (and announced); makes the field aria-invalid. */
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
}

/** A labelled input with its hint or error below, wired with aria-describedby and aria-invalid. */
export function TextField({ id, label, value, onValueChange, error, hint, optional, ...rest }: TextFieldProps) {
  const describedBy = error || hint ? `${id}-help` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && <span className="muted"> (optional)</span>}
      </label>
      <input
        id={id}
        name={id}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
      {error ? (
        <small id={`${id}-help`} className="field-error">
          {error}
        </small>
      ) : hint ? (
        <small id={`${id}-help`}>{hint}</small>
      ) : null}
    </div>
  );
}

interface CheckboxFieldProps {
  id: string;
  label: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  hint?: ReactNode;
  disabled?: boolean;
}

export function CheckboxField({ id, label, checked, onCheckedChange, hint, disabled }: CheckboxFieldProps) {
  return (
    <div className="field field-check">
      <input
        type="checkbox"
        id={id}
        name={id}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onCheckedChange(e.target.checked)}
        aria-describedby={hint ? `${id}-help` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint && <small id={`${id}-help`}>{hint}</small>}
    </div>
  );
}

interface SelectFieldProps {
  id: string;
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  error?: string | undefined;
  hint?: ReactNode;
  disabled?: boolean;
}

export function SelectField({ id, label, value, onValueChange, options, error, hint, disabled }: SelectFieldProps) {
  const describedBy = error || hint ? `${id}-help` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={id}
        value={value}
        disabled={disabled}
        onChange={(e) => onValueChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <small id={`${id}-help`} className="field-error">
          {error}
        </small>
      ) : hint ? (
        <small id={`${id}-help`}>{hint}</small>
      ) : null}
    </div>
  );
}

/** A form's submit and cancel buttons. */
export function FormActions({ submit, disabled = false, onCancel }: { submit: ReactNode; disabled?: boolean; onCancel: () => void }) {
  return (
    <div className="actions">
      <button type="submit" disabled={disabled}>
        {submit}
      </button>
      <button type="button" className="secondary outline" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** A button that opens a form in its place; the form closes itself with `close` (saved or cancelled). */
export function Reveal({ label, children }: { label: ReactNode; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  if (open) return <>{children(() => setOpen(false))}</>;
  return (
    <div className="actions">
      <button type="button" onClick={() => setOpen(true)}>
        {label}
      </button>
    </div>
  );
}
