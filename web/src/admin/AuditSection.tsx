// SPDX-License-Identifier: AGPL-3.0-or-later
import { Link } from 'react-router';
import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import { describeAction, summarizeChanges } from '../activity/ActivityTab';
import { useMe } from '../app/useSessionData';
import { useFormat } from '../format/useFormat';
import { useUserName, useUsers } from '../users/usersApi';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { EmptyState, ErrorState } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { checkChainLinks } from './auditChain';
import layout from '../ui/layout.module.css';
import styles from './Admin.module.css';

const entityTypes = ['contract', 'document', 'counterparty', 'user', 'api_key', 'organization', 'approval_policy'];

export function AuditSection() {
  const me = useMe();
  const users = useUsers(me.data);
  const userName = useUserName(me.data);
  const format = useFormat();
  const [draft, setDraft] = useState({ entityType: '', action: '', actorId: '', from: '', to: '' });
  const [filters, setFilters] = useState<Record<string, string>>({});
  const audit = useInfiniteQuery({
    queryKey: queryKeys.audit(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/audit', {
          params: { query: { ...filters, limit: '100', ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const events = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const chain = checkChainLinks(events);

  return (
    <section className={layout.stack} aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form
        className={layout.formGrid}
        role="search"
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          const next: Record<string, string> = {};
          if (draft.entityType) next.entityType = draft.entityType;
          if (draft.action.trim()) next.action = draft.action.trim();
          if (draft.actorId) next.actorId = draft.actorId;
          // Dates of the organization as instants: the whole `from` day to the end of `to`.
          if (draft.from) next.from = `${draft.from}T00:00:00Z`;
          if (draft.to) next.to = `${draft.to}T23:59:59Z`;
          setFilters(next);
        }}
      >
        <Field label="Entity type">
          {(c) => (
            <select {...c} value={draft.entityType} onChange={(e) => setDraft({ ...draft, entityType: e.target.value })}>
              <option value="">Any</option>
              {entityTypes.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Action" hint="e.g. contract.updated">
          {(c) => <input {...c} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} />}
        </Field>
        <Field label="Actor">
          {(c) => (
            <select {...c} value={draft.actorId} onChange={(e) => setDraft({ ...draft, actorId: e.target.value })}>
              <option value="">Anyone</option>
              {(users.data?.items ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From">
          {(c) => <input {...c} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />}
        </Field>
        <Field label="To">
          {(c) => <input {...c} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />}
        </Field>
        <Button type="submit">Apply filters</Button>
      </form>
      {events.length > 0 && (
        <p className={`${layout.notice} ${styles.chain}`} data-ok={chain.breaks.length === 0} role="status">
          Hash chain:{' '}
          {chain.breaks.length === 0
            ? `${chain.checked} links between loaded consecutive events verified, no break.`
            : `broken at event ${chain.breaks.join(', ')}: its previous hash does not match.`}
        </p>
      )}
      {audit.isPending ? (
        <Loading what="the audit log" />
      ) : audit.isError ? (
        <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
      ) : events.length === 0 ? (
        <EmptyState title="No events match" />
      ) : (
        <Table aria-label="Audit events">
          <thead>
            <tr>
              <Th numeric>Seq</Th>
              <Th>When</Th>
              <Th>Action</Th>
              <Th>Actor</Th>
              <Th>Entity</Th>
              <Th>Changed</Th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <Td numeric>{e.seq}</Td>
                <Td>{format.instant(e.at)}</Td>
                <Td title={e.action}>{describeAction(e.action)}</Td>
                <Td>{e.actorType === 'user' ? userName(e.actorId) : e.actorType}</Td>
                <Td>
                  <EntityRef type={e.entityType} id={e.entityId} />
                </Td>
                <Td>{summarizeChanges(e.changes)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {audit.hasNextPage && (
        <div>
          <Button busy={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
            Load older events
          </Button>
        </div>
      )}
    </section>
  );
}

/**
 * An event's entity: its kind and the random end of its id (a UUIDv7 starts with its time, so
 * the start is the same for everything made the same minute), linked when it is a contract.
 */
function EntityRef({ type, id }: { type: string; id: string }) {
  const short = <code title={id}>…{id.slice(-8)}</code>;
  if (type === 'contract')
    return (
      <Link to={`/contracts/${id}`}>
        contract {short}
      </Link>
    );
  return (
    <>
      {type} {short}
    </>
  );
}
