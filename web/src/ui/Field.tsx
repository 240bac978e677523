// SPDX-License-Identifier: AGPL-3.0-or-later
import { useId, type ReactNode } from 'react';
import styles from './ui.module.css';

/** Props to spread on the control so it is named by the label and described by the error. */
export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

export interface FieldProps {
  label: string;
  /** The message shown under the control (client validation or the server's `errors[]`). */
  error?: string | undefined;
  hint?: string;
  children: (control: ControlProps) => ReactNode;
  className?: string;
}

export function Field({ label, error, hint, children, className }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={[styles.field, className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint && (
        <span id={hintId} className={styles.hint}>
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className={styles.fieldError}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A checkbox with its label on the right. */
export function CheckboxField({
  label,
  children,
}: {
  label: string;
  children: (control: { id: string }) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={styles.checkboxField}>
      {children({ id })}
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
