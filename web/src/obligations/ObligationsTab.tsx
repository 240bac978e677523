// SPDX-License-Identifier: AGPL-3.0-or-later
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { newIdempotencyKey } from '../api/client';
import type { Contract, Obligation, ObligationInput } from '../api/models';
import { isProblem } from '../api/problem';
import { useMe } from '../app/useSessionData';
import { useCloseObligation, useContractObligations, useCreateObligation } from '../contracts/workflowApi';
import { isKnownCurrency } from '../format/format';
import { useFormat } from '../format/useFormat';
import { useUserName, useUsers } from '../users/usersApi';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { Badge, EmptyState, ErrorState } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { useToast } from '../ui/Toast';
import layout from '../ui/layout.module.css';

const kinds = ['payment', 'delivery', 'reporting', 'compliance', 'notice', 'other'] as const;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function ObligationsTab({ contract, editable }: { contract: Contract; editable: boolean }) {
  const obligations = useContractObligations(contract.id);
  const [adding, setAdding] = useState(false);
  return (
    <div className={layout.stack}>
      <div className={layout.spread}>
        <h2>Obligations</h2>
        {editable && !adding && (
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add obligation
          </Button>
        )}
      </div>
      {adding && <ObligationForm contractId={contract.id} onDone={() => setAdding(false)} />}
      {obligations.isPending ? (
        <Loading what="obligations" />
      ) : obligations.isError ? (
        <ErrorState error={obligations.error} onRetry={() => void obligations.refetch()} />
      ) : obligations.data.items.length === 0 ? (
        <EmptyState title="No obligations">Payments, deliveries and reports this contract requires.</EmptyState>
      ) : (
        <ObligationTable obligations={obligations.data.items} canClose={editable} />
      )}
    </div>
  );
}

export function ObligationStatus({ obligation }: { obligation: Obligation }) {
  if (obligation.status === 'open')
    return obligation.overdue ? <Badge tone="danger">Overdue</Badge> : <Badge tone="warning">Open</Badge>;
  return <Badge tone={obligation.status === 'done' ? 'success' : 'neutral'}>{obligation.status === 'done' ? 'Done' : 'Waived'}</Badge>;
}

export function ObligationTable({
  obligations,
  canClose,
  showContract,
}: {
  obligations: Obligation[];
  canClose: boolean | ((o: Obligation) => boolean);
  showContract?: boolean;
}) {
  const format = useFormat();
  const me = useMe();
  const userName = useUserName(me.data);
  const close = useCloseObligation();
  const toast = useToast();

  async function act(o: Obligation, how: 'complete' | 'waive') {
    try {
      const result = await close.mutateAsync({ contractId: o.contractId, obligationId: o.id, how });
      toast({
        title: how === 'complete' ? 'Obligation completed' : 'Obligation waived',
        description: result.next ? `Next occurrence due ${format.date(result.next.dueDate)}` : undefined,
        tone: 'success',
      });
    } catch (error) {
      toast({ title: 'Could not update the obligation', description: error instanceof Error ? error.message : undefined, tone: 'danger' });
    }
  }

  return (
    <div className={layout.scrollX}>
    <Table aria-label="Obligations">
      <thead>
        <tr>
          <Th>Obligation</Th>
          {showContract && <Th>Contract</Th>}
          <Th>Kind</Th>
          <Th>Due</Th>
          <Th>Responsible</Th>
          <Th>Assignee</Th>
          <Th numeric>Amount</Th>
          <Th>Status</Th>
          <Th>
            <span className="visually-hidden">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {obligations.map((o) => {
          const closable = o.status === 'open' && (typeof canClose === 'function' ? canClose(o) : canClose);
          return (
            <tr key={o.id}>
              <Td title={o.description || undefined}>
                {o.title}
                {o.recurrence ? ` (${o.recurrence.frequency})` : ''}
              </Td>
              {showContract && (
                <Td>
                  <Link to={`/contracts/${o.contractId}/obligations`}>
                    Open contract<span className="visually-hidden"> of “{o.title}”</span>
                  </Link>
                </Td>
              )}
              <Td>{capital(o.kind)}</Td>
              <Td>{format.date(o.dueDate)}</Td>
              <Td>{o.responsible === 'us' ? 'Us' : 'Counterparty'}</Td>
              <Td>{o.assigneeId ? userName(o.assigneeId) : '—'}</Td>
              <Td numeric>{format.money(o.amount)}</Td>
              <Td>
                <ObligationStatus obligation={o} />
              </Td>
              <Td>
                {closable && (
                  <span className={layout.row}>
                    <Button small onClick={() => void act(o, 'complete')} aria-label={`Complete ${o.title}`}>
                      Complete
                    </Button>
                    <Button small onClick={() => void act(o, 'waive')} aria-label={`Waive ${o.title}`}>
                      Waive
                    </Button>
                  </span>
                )}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
    </div>
  );
}

function ObligationForm({ contractId, onDone }: { contractId: string; onDone: () => void }) {
  const me = useMe();
  const users = useUsers(me.data);
  const create = useCreateObligation(contractId);
  const toast = useToast();
  const key = useRef(newIdempotencyKey());
  const [v, setV] = useState({
    title: '',
    description: '',
    kind: 'payment' as (typeof kinds)[number],
    responsible: 'us' as 'us' | 'counterparty',
    assigneeId: '',
    dueDate: '',
    frequency: '' as '' | 'monthly' | 'quarterly' | 'yearly',
    until: '',
    amount: '',
    currency: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<typeof v>) => setV((cur) => ({ ...cur, ...patch }));

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!v.title.trim()) next.title = 'Enter a title';
    if (!v.dueDate) next.dueDate = 'Choose the due date';
    if (v.amount && !/^\d+(\.\d+)?$/.test(v.amount)) next.amount = 'A number such as 1500.00';
    if (v.amount && !isKnownCurrency(v.currency.toUpperCase())) next.currency = 'A currency code such as EUR';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const body: ObligationInput = {
      title: v.title.trim(),
      dueDate: v.dueDate,
      kind: v.kind,
      responsible: v.responsible,
      ...(v.description.trim() ? { description: v.description.trim() } : {}),
      ...(v.assigneeId ? { assigneeId: v.assigneeId } : {}),
      ...(v.frequency ? { recurrence: { frequency: v.frequency, until: v.until || null } } : {}),
      ...(v.amount ? { amount: { amount: v.amount, currency: v.currency.toUpperCase() } } : {}),
    };
    try {
      await create.mutateAsync({ body, idempotencyKey: key.current });
      key.current = newIdempotencyKey();
      toast({ title: 'Obligation added', tone: 'success' });
      onDone();
    } catch (error) {
      if (isProblem(error) && error.isClientError) key.current = newIdempotencyKey();
      if (isProblem(error, 400)) {
        const server: Record<string, string> = {};
        for (const e of error.errors) server[e.field.replace(/^recurrence\./, '').replace(/^amount\./, '')] = e.message;
        setErrors(server);
      }
    }
  }

  return (
    <form className={layout.card} onSubmit={submit} noValidate aria-label="New obligation">
      <h3>New obligation</h3>
      <div className={layout.formGrid}>
        <Field label="Title" error={errors.title}>
          {(c) => <input {...c} value={v.title} onChange={(e) => set({ title: e.target.value })} />}
        </Field>
        <Field label="Due date" error={errors.dueDate}>
          {(c) => <input {...c} type="date" value={v.dueDate} onChange={(e) => set({ dueDate: e.target.value })} />}
        </Field>
        <Field label="Kind">
          {(c) => (
            <select {...c} value={v.kind} onChange={(e) => set({ kind: e.target.value as typeof v.kind })}>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {capital(k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Responsible">
          {(c) => (
            <select {...c} value={v.responsible} onChange={(e) => set({ responsible: e.target.value as typeof v.responsible })}>
              <option value="us">Us</option>
              <option value="counterparty">The counterparty</option>
            </select>
          )}
        </Field>
        <Field label="Assignee" error={errors.assigneeId}>
          {(c) => (
            <select {...c} value={v.assigneeId} onChange={(e) => set({ assigneeId: e.target.value })}>
              <option value="">Nobody (the owner is reminded)</option>
              {me.data && (users.data?.items ?? []).every((u) => u.id !== me.data.id) && (
                <option value={me.data.id}>{me.data.name} (you)</option>
              )}
              {(users.data?.items ?? [])
                .filter((u) => u.active)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label="Repeats" error={errors.frequency}>
          {(c) => (
            <select {...c} value={v.frequency} onChange={(e) => set({ frequency: e.target.value as typeof v.frequency })}>
              <option value="">Once</option>
              <option value="monthly">Monthly</option>
              <option value="quarterly">Quarterly</option>
              <option value="yearly">Yearly</option>
            </select>
          )}
        </Field>
        {v.frequency && (
          <Field label="Repeats until" hint="Empty: without end" error={errors.until}>
            {(c) => <input {...c} type="date" value={v.until} onChange={(e) => set({ until: e.target.value })} />}
          </Field>
        )}
        <Field label="Obligation amount" error={errors.amount}>
          {(c) => <input {...c} inputMode="decimal" value={v.amount} onChange={(e) => set({ amount: e.target.value })} />}
        </Field>
        <Field label="Obligation currency" error={errors.currency}>
          {(c) => <input {...c} maxLength={3} value={v.currency} onChange={(e) => set({ currency: e.target.value })} />}
        </Field>
      </div>
      <Field label="Description">
        {(c) => <textarea {...c} value={v.description} onChange={(e) => set({ description: e.target.value })} />}
      </Field>
      {create.isError && !isProblem(create.error, 400) && <ErrorState error={create.error} />}
      <div className={layout.actions}>
        <Button type="submit" variant="primary" busy={create.isPending}>
          Add obligation
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
