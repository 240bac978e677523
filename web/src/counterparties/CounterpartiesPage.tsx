// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { isProblem } from '../api/problem';
import { queryKeys } from '../api/queryKeys';
import { canCreateContracts, useMe } from '../app/useSessionData';
import { StatusBadge } from '../contracts/StatusBadge';
import { useFormat } from '../format/useFormat';
import { Button, ButtonLink } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Field } from '../ui/Field';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { EmptyState, ErrorState } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { useToast } from '../ui/Toast';
import { CounterpartyDialog } from './CounterpartyDialog';
import layout from '../ui/layout.module.css';

export function CounterpartiesPage() {
  const [search, setSearch] = useSearchParams();
  const q = search.get('q') ?? '';
  const [text, setText] = useState(q);
  const [creating, setCreating] = useState(false);
  const me = useMe();
  const navigate = useNavigate();
  const list = useQuery({
    queryKey: queryKeys.counterparties.list(q),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/counterparties', {
          params: { query: { limit: '200', ...(q ? { q } : {}) } },
          signal,
        }),
      ),
  });

  return (
    <div className={layout.stack}>
      <div className={layout.spread}>
        <PageHeading title="Counterparties">Counterparties</PageHeading>
        {canCreateContracts(me.data) && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            New counterparty
          </Button>
        )}
      </div>
      <form
        role="search"
        className={layout.row}
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(text.trim() ? { q: text.trim() } : {});
        }}
      >
        <Field label="Search names">
          {(c) => <input {...c} type="search" value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <Button type="submit">Search</Button>
      </form>
      {list.isPending ? (
        <Loading what="counterparties" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={q ? 'No counterparty matches' : 'No counterparties yet'} />
      ) : (
        <Table aria-label="Counterparties">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Kind</Th>
              <Th>Country</Th>
              <Th>Contact</Th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.id}>
                <Td>
                  <Link to={`/counterparties/${c.id}`}>{c.name}</Link>
                </Td>
                <Td>{c.kind === 'company' ? 'Company' : 'Person'}</Td>
                <Td>{c.country ?? '—'}</Td>
                <Td>{[c.contactName, c.contactEmail].filter(Boolean).join(', ') || '—'}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <CounterpartyDialog open={creating} onOpenChange={setCreating} onCreated={(c) => navigate(`/counterparties/${c.id}`)} />
    </div>
  );
}

export function CounterpartyPage() {
  const { counterpartyId = '' } = useParams();
  const me = useMe();
  const format = useFormat();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const counterparty = useQuery({
    queryKey: queryKeys.counterparties.detail(counterpartyId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/counterparties/{id}', { params: { path: { id: counterpartyId } }, signal })),
  });
  const contracts = useQuery({
    queryKey: ['contracts', 'list', 'counterparty', counterpartyId],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/contracts', { params: { query: { counterpartyId, limit: '200' } }, signal })),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/counterparties/{id}', { params: { path: { id: counterpartyId } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.counterparties.all }),
  });

  if (counterparty.isPending) return <Loading what="the counterparty" />;
  if (counterparty.isError)
    return (
      <>
        <PageHeading title="Counterparty">
          {isProblem(counterparty.error, 404) ? 'Counterparty not found' : 'Counterparty could not be loaded'}
        </PageHeading>
        <ErrorState error={counterparty.error} action={<ButtonLink to="/counterparties">Back to counterparties</ButtonLink>} />
      </>
    );
  const c = counterparty.data;
  const item = (label: string, value: string | null) => (
    <div>
      <dt>{label}</dt>
      <dd>{value || '—'}</dd>
    </div>
  );

  return (
    <div className={layout.stack}>
      <div className={layout.spread}>
        <PageHeading title={c.name}>{c.name}</PageHeading>
        <div className={layout.actions}>
          {canCreateContracts(me.data) && (
            <ButtonLink to="/contracts/new" variant="primary">
              New contract
            </ButtonLink>
          )}
          {(me.data?.role === 'admin' || me.data?.role === 'manager') && (
            <Button variant="danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          )}
        </div>
      </div>
      <dl className={layout.card}>
        {item('Kind', c.kind === 'company' ? 'Company' : 'Person')}
        {item('Registration number', c.registrationNumber)}
        {item('Country', c.country)}
        {item('Address', c.address)}
        {item('Contact', [c.contactName, c.contactEmail].filter(Boolean).join(', '))}
        {item('Notes', c.notes)}
      </dl>
      <h2>Contracts</h2>
      {contracts.isPending ? (
        <Loading what="contracts" />
      ) : contracts.isError ? (
        <ErrorState error={contracts.error} />
      ) : contracts.data.items.length === 0 ? (
        <EmptyState title="No contracts with this counterparty" />
      ) : (
        <Table aria-label={`Contracts with ${c.name}`}>
          <thead>
            <tr>
              <Th>Title</Th>
              <Th>Status</Th>
              <Th>Expires</Th>
              <Th numeric>Value</Th>
            </tr>
          </thead>
          <tbody>
            {contracts.data.items.map((k) => (
              <tr key={k.id}>
                <Td>
                  <Link to={`/contracts/${k.id}`}>{k.title}</Link>
                </Td>
                <Td>
                  <StatusBadge status={k.status} />
                </Td>
                <Td>{format.date(k.expirationDate)}</Td>
                <Td numeric>{format.money(k.value)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title="Delete counterparty"
        description="Only a counterparty no contract uses can be deleted."
        confirmLabel="Delete"
        danger
        onConfirm={async () => {
          await remove.mutateAsync();
          toast({ title: 'Counterparty deleted', tone: 'success' });
          navigate('/counterparties', { replace: true });
        }}
      />
    </div>
  );
}
