// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState, type ReactNode } from 'react';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { Field } from './Field';
import { ErrorState } from './States';
import layout from './layout.module.css';

/**
 * A confirmation for an action that changes a contract's state; optionally asks for a text
 * (a reason, a comment). The action's error is shown inside, with the server's words.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  danger,
  textLabel,
  textRequired,
  onConfirm,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  confirmLabel: string;
  danger?: boolean;
  /** Asks for a text with this label (e.g. "Reason"). */
  textLabel?: string;
  textRequired?: boolean;
  onConfirm: (text: string) => Promise<unknown>;
  children?: ReactNode;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);

  async function confirm(event: React.FormEvent) {
    event.preventDefault();
    event.stopPropagation();
    if (textRequired && !text.trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(text.trim());
      setText('');
      onOpenChange(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setError(undefined);
        onOpenChange(next);
      }}
      title={title}
      {...(description ? { description } : {})}
    >
      <form className={layout.form} onSubmit={confirm} noValidate>
        {children}
        {textLabel && (
          <Field label={textLabel} error={missing && !text.trim() ? `Enter the ${textLabel.toLowerCase()}` : undefined}>
            {(control) => (
              <textarea
                {...control}
                value={text}
                required={textRequired}
                onChange={(e) => setText(e.target.value)}
              />
            )}
          </Field>
        )}
        {error !== undefined && <ErrorState error={error} />}
        <div className={layout.actions}>
          <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={busy}>
            {confirmLabel}
          </Button>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
