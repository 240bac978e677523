// SPDX-License-Identifier: AGPL-3.0-or-later
// Who decides my approvals while I am away: `PUT /me/delegations` replaces the whole list.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Delegations } from '../api/models';
import { isProblem } from '../api/problem';
import { useMe } from '../app/useSessionData';
import { useUserName, useUsers } from '../users/usersApi';
import { useFormat } from '../format/useFormat';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { ErrorState } from '../ui/States';
import { useToast } from '../ui/Toast';
import layout from '../ui/layout.module.css';

const key = ['me', 'delegations'] as const;

export function DelegationsSection() {
  const delegations = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/me/delegations', { signal })),
  });
  if (delegations.isPending) return <Loading what="your delegations" />;
  if (delegations.isError) return <ErrorState error={delegations.error} />;
  return <DelegationsForm current={delegations.data} />;
}

type Row = { delegateId: string; from: string; to: string };

function DelegationsForm({ current }: { current: Delegations }) {
  const me = useMe();
  const users = useUsers(me.data);
  const userName = useUserName(me.data);
  const format = useFormat();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<Row[]>(current.items.map(({ delegateId, from, to }) => ({ delegateId, from, to })));
  const save = useMutation({
    mutationFn: (items: Row[]) => unwrap(api.PUT('/api/v1/me/delegations', { body: { items } })),
    onSuccess: (saved) => queryClient.setQueryData(key, saved),
  });
  const colleagues = (users.data?.items ?? []).filter((u) => u.active && u.id !== me.data?.id);
  const set = (i: number, patch: Partial<Row>) => setRows((r) => r.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const error = (field: string) =>
    isProblem(save.error, 400) ? save.error.errors.find((e) => e.field.startsWith(field))?.message : undefined;

  return (
    <form
      className={layout.card}
      aria-label="My delegations"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await save.mutateAsync(rows.filter((r) => r.delegateId && r.from && r.to));
          toast({ title: 'Delegations saved', tone: 'success' });
        } catch {
          // shown below
        }
      }}
    >
      <h2>While I am away</h2>
      <p className={layout.muted}>A delegate decides your approvals on your behalf between the two dates (both included).</p>
      {rows.length === 0 && <p>No delegation.</p>}
      {rows.map((row, i) => (
        <div key={i} className={layout.formGrid}>
          <Field label={`Delegate ${i + 1}`} error={error(`items[${i}].delegateId`)}>
            {(c) =>
              colleagues.length > 0 ? (
                <select {...c} value={row.delegateId} onChange={(e) => set(i, { delegateId: e.target.value })}>
                  <option value="">Choose…</option>
                  {colleagues.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
              ) : (
                <input {...c} value={row.delegateId} placeholder="User id" onChange={(e) => set(i, { delegateId: e.target.value })} />
              )
            }
          </Field>
          <Field label={`Delegation ${i + 1} from`} error={error(`items[${i}].from`)}>
            {(c) => <input {...c} type="date" value={row.from} onChange={(e) => set(i, { from: e.target.value })} />}
          </Field>
          <Field label={`Delegation ${i + 1} to`} error={error(`items[${i}].to`)}>
            {(c) => <input {...c} type="date" value={row.to} min={row.from || undefined} onChange={(e) => set(i, { to: e.target.value })} />}
          </Field>
          <Button small onClick={() => setRows((r) => r.filter((_, j) => j !== i))}>
            Remove delegation {i + 1}
          </Button>
          {row.delegateId && colleagues.length === 0 && <span className={layout.muted}>{userName(row.delegateId)}</span>}
        </div>
      ))}
      {current.items.length > 0 && (
        <p className={layout.muted}>
          Saved: {current.items.map((d) => `${userName(d.delegateId)} ${format.date(d.from)}–${format.date(d.to)}`).join('; ')}
        </p>
      )}
      {save.isError && !isProblem(save.error, 400) && <ErrorState error={save.error} />}
      <div className={layout.actions}>
        <Button small disabled={rows.length >= 20} onClick={() => setRows((r) => [...r, { delegateId: '', from: '', to: '' }])}>
          Add delegation
        </Button>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save delegations
        </Button>
      </div>
    </form>
  );
}
