// SPDX-License-Identifier: AGPL-3.0-or-later
import { useSearchParams } from 'react-router';
import { useMe } from '../app/useSessionData';
import { useObligations } from '../contracts/workflowApi';
import { Field } from '../ui/Field';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { EmptyState, ErrorState } from '../ui/States';
import { ObligationTable } from './ObligationsTab';
import layout from '../ui/layout.module.css';

/** Obligations across contracts; filters live in the URL like the contracts list's. */
export function ObligationsPage() {
  const [search, setSearch] = useSearchParams();
  const assignee = search.get('assignee') ?? 'me';
  const status = search.get('status') ?? 'open';
  const dueBefore = search.get('dueBefore') ?? '';
  const me = useMe();
  const obligations = useObligations({
    ...(assignee !== 'all' ? { assignee } : {}),
    ...(status !== 'all' ? { status } : {}),
    ...(dueBefore ? { dueBefore } : {}),
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next);
  };
  const writer = me.data?.role !== 'viewer';

  return (
    <div className={layout.stack}>
      <PageHeading title="Obligations">Obligations</PageHeading>
      <div className={layout.formGrid} role="search" aria-label="Obligation filters">
        <Field label="Assigned to">
          {(c) => (
            <select {...c} value={assignee} onChange={(e) => set('assignee', e.target.value)}>
              <option value="me">Me</option>
              <option value="all">Anyone</option>
            </select>
          )}
        </Field>
        <Field label="Status">
          {(c) => (
            <select {...c} value={status} onChange={(e) => set('status', e.target.value)}>
              <option value="open">Open</option>
              <option value="overdue">Overdue</option>
              <option value="done">Done</option>
              <option value="waived">Waived</option>
              <option value="all">All</option>
            </select>
          )}
        </Field>
        <Field label="Due before">
          {(c) => <input {...c} type="date" value={dueBefore} onChange={(e) => set('dueBefore', e.target.value)} />}
        </Field>
      </div>
      {obligations.isPending ? (
        <Loading what="obligations" />
      ) : obligations.isError ? (
        <ErrorState error={obligations.error} onRetry={() => void obligations.refetch()} />
      ) : obligations.data.items.length === 0 ? (
        <EmptyState title="No obligations match">Change the filters to see more.</EmptyState>
      ) : (
        <ObligationTable obligations={obligations.data.items} canClose={writer} showContract />
      )}
    </div>
  );
}
