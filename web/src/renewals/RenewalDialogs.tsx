// SPDX-License-Identifier: AGPL-3.0-or-later
// Renew and terminate, from the contract page and from the renewals page. Each dialog says
// the rule the server applies and the dates it allows, so nobody has to guess.
import { useState } from 'react';
import { useMe } from '../app/useSessionData';
import { useContract } from '../contracts/contractsApi';
import { useRenew, useTerminate } from '../contracts/workflowApi';
import { addDays, addMonths, todayIn } from '../format/format';
import { useFormat } from '../format/useFormat';
import { isProblem } from '../api/problem';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { CheckboxField, Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { ErrorState } from '../ui/States';
import { useToast } from '../ui/Toast';
import layout from '../ui/layout.module.css';

interface DialogProps {
  contractId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/** The earliest effective date of a termination without cause: today + the notice period. */
export function earliestTermination(today: string, noticePeriodDays: number | null): string {
  return addDays(today, noticePeriodDays ?? 0);
}

export function RenewDialog({ contractId, open, onOpenChange }: DialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Renew contract">
      {open && <RenewForm contractId={contractId} onDone={() => onOpenChange(false)} />}
    </Dialog>
  );
}

function RenewForm({ contractId, onDone }: { contractId: string; onDone: () => void }) {
  const contract = useContract(contractId);
  const renew = useRenew(contractId);
  const format = useFormat();
  const toast = useToast();
  const c = contract.data?.data;
  const defaultTerm = c?.renewalTermMonths ?? 12;
  const [mode, setMode] = useState<'term' | 'date'>('term');
  const [termMonths, setTermMonths] = useState<string>('');
  const [expirationDate, setExpirationDate] = useState('');
  const [comment, setComment] = useState('');

  if (contract.isPending) return <Loading what="the contract" />;
  if (contract.isError || !c) return <ErrorState error={contract.error} />;

  if (!c.allowedActions.includes('renew'))
    return (
      <p role="alert">
        You cannot renew this contract now ({c.status}). Renewal is for contracts in force, by those who may edit them.
      </p>
    );
  const term = Number(termMonths || defaultTerm);
  const newExpiry =
    mode === 'date' ? expirationDate : c.expirationDate ? addMonths(c.expirationDate, term) : '';
  const fieldError = (name: string) =>
    isProblem(renew.error, 400) ? renew.error.errors.find((e) => e.field === name)?.message : undefined;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    event.stopPropagation();
    try {
      await renew.mutateAsync({
        ...(mode === 'date' ? { expirationDate } : { termMonths: term }),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      toast({ title: 'Contract renewed', description: `Now expires ${format.date(newExpiry)}`, tone: 'success' });
      onDone();
    } catch {
      // shown below
    }
  }

  return (
    <form className={layout.form} onSubmit={submit} noValidate aria-label="Renew contract">
      <p className={layout.notice}>
        {c.title} expires on <strong>{format.date(c.expirationDate)}</strong>. A renewal extends it by
        a term counted from that date (month ends are kept), or to a date you choose; the new
        expiration must be after the current one and after today.
      </p>
      <fieldset className={layout.row}>
        <legend className="visually-hidden">Renew by</legend>
        <label>
          <input type="radio" name="mode" checked={mode === 'term'} onChange={() => setMode('term')} /> By a
          term
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'date'} onChange={() => setMode('date')} /> To a
          date
        </label>
      </fieldset>
      {mode === 'term' ? (
        <Field label="Term in months" hint={`Default: the contract's term, ${defaultTerm} months`} error={fieldError('termMonths')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={120}
              value={termMonths}
              placeholder={String(defaultTerm)}
              onChange={(e) => setTermMonths(e.target.value)}
            />
          )}
        </Field>
      ) : (
        <Field label="New expiration date" error={fieldError('expirationDate')}>
          {(control) => (
            <input
              {...control}
              type="date"
              min={c.expirationDate ? addDays(c.expirationDate, 1) : undefined}
              value={expirationDate}
              onChange={(e) => setExpirationDate(e.target.value)}
            />
          )}
        </Field>
      )}
      {newExpiry && <p>New expiration: <strong>{format.date(newExpiry)}</strong></p>}
      <Field label="Comment">
        {(control) => <textarea {...control} value={comment} onChange={(e) => setComment(e.target.value)} />}
      </Field>
      {renew.isError && <ErrorState error={renew.error} />}
      <div className={layout.actions}>
        <Button type="submit" variant="primary" busy={renew.isPending}>
          Renew
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

export function TerminateDialog({ contractId, open, onOpenChange }: DialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Terminate contract">
      {open && <TerminateForm contractId={contractId} onDone={() => onOpenChange(false)} />}
    </Dialog>
  );
}

function TerminateForm({ contractId, onDone }: { contractId: string; onDone: () => void }) {
  const contract = useContract(contractId);
  const terminate = useTerminate(contractId);
  const me = useMe();
  const format = useFormat();
  const toast = useToast();
  const [reason, setReason] = useState('');
  const [effectiveDate, setEffectiveDate] = useState('');
  const [forCause, setForCause] = useState(false);
  const [reasonMissing, setReasonMissing] = useState(false);

  if (contract.isPending) return <Loading what="the contract" />;
  if (contract.isError) return <ErrorState error={contract.error} />;
  const c = contract.data.data;
  if (!c.allowedActions.includes('terminate'))
    return (
      <p role="alert">
        You cannot terminate this contract now ({c.status}). Termination is for contracts in force, by those who may edit them.
      </p>
    );
  const today = todayIn(format.timeZone);
  const earliest = forCause ? today : earliestTermination(today, c.noticePeriodDays);
  const mayForCause = me.data?.role === 'admin' || me.data?.role === 'manager';
  const fieldError = (name: string) =>
    isProblem(terminate.error, 400)
      ? terminate.error.errors.find((e) => e.field === name)?.message
      : undefined;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    event.stopPropagation();
    if (!reason.trim()) {
      setReasonMissing(true);
      return;
    }
    try {
      const result = await terminate.mutateAsync({
        reason: reason.trim(),
        effectiveDate: effectiveDate || earliest,
        ...(forCause ? { forCause: true } : {}),
      });
      toast({
        title: result.status === 'terminated' ? 'Contract terminated' : 'Termination scheduled',
        description: result.terminationEffectiveDate
          ? `Effective ${format.date(result.terminationEffectiveDate)}`
          : undefined,
        tone: 'success',
      });
      onDone();
    } catch {
      // shown below
    }
  }

  return (
    <form className={layout.form} onSubmit={submit} noValidate aria-label="Terminate contract">
      <p className={layout.notice}>
        {c.noticePeriodDays
          ? `Without cause, a termination takes effect at least ${c.noticePeriodDays} days (the notice period) after today.`
          : 'This contract has no notice period: it can end today.'}{' '}
        The earliest allowed date is <strong>{format.date(earliest)}</strong>
        {c.expirationDate ? <>, the latest its expiration, {format.date(c.expirationDate)}</> : null}. A
        later date schedules the termination; it happens on that day.
      </p>
      <Field label="Reason" error={reasonMissing && !reason.trim() ? 'Enter the reason' : fieldError('reason')}>
        {(control) => (
          <textarea {...control} required value={reason} onChange={(e) => setReason(e.target.value)} />
        )}
      </Field>
      <Field
        label="Effective date"
        hint={`Leave empty for the earliest allowed date (${format.date(earliest)})`}
        error={fieldError('effectiveDate')}
      >
        {(control) => (
          <input
            {...control}
            type="date"
            min={earliest}
            max={c.expirationDate ?? undefined}
            value={effectiveDate}
            onChange={(e) => setEffectiveDate(e.target.value)}
          />
        )}
      </Field>
      {mayForCause && (
        <CheckboxField label="For cause (the notice period does not apply)">
          {({ id }) => (
            <input id={id} type="checkbox" checked={forCause} onChange={(e) => setForCause(e.target.checked)} />
          )}
        </CheckboxField>
      )}
      {terminate.isError && <ErrorState error={terminate.error} />}
      <div className={layout.actions}>
        <Button type="submit" variant="danger" busy={terminate.isPending}>
          Terminate
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
