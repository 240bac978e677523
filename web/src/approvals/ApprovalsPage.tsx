// SPDX-License-Identifier: AGPL-3.0-or-later
import { Link } from 'react-router';
import { useMyApprovals } from '../contracts/workflowApi';
import { useFormat } from '../format/useFormat';
import { useMe } from '../app/useSessionData';
import { useUserName } from '../users/usersApi';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { Badge, EmptyState, ErrorState } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { todayIn } from '../format/format';
import { DelegationsSection } from './DelegationsForm';

/** Approvals waiting for the caller (personally or as a delegate today). */
export function ApprovalsPage() {
  const approvals = useMyApprovals();
  const format = useFormat();
  const me = useMe();
  const userName = useUserName(me.data);
  const today = todayIn(format.timeZone);
  return (
    <>
      <PageHeading title="Approvals">Approvals waiting for you</PageHeading>
      {approvals.isPending ? (
        <Loading what="approvals" />
      ) : approvals.isError ? (
        <ErrorState error={approvals.error} onRetry={() => void approvals.refetch()} />
      ) : approvals.data.items.length === 0 ? (
        <EmptyState title="Nothing waits for you">Contracts submitted to you for approval appear here.</EmptyState>
      ) : (
        <Table aria-label="Approvals waiting for you">
          <thead>
            <tr>
              <Th>Contract</Th>
              <Th>Stage</Th>
              <Th>Owner</Th>
              <Th>Due</Th>
              <Th>Submitted</Th>
            </tr>
          </thead>
          <tbody>
            {approvals.data.items.map((a) => {
              const stage = a.currentStage !== null ? a.stages[a.currentStage] : undefined;
              const overdue = stage?.dueOn !== undefined && stage.dueOn !== null && stage.dueOn < today;
              return (
                <tr key={a.id}>
                  <Td>
                    <Link to={`/contracts/${a.contractId}/approval`}>{a.contractTitle ?? 'Contract'}</Link>
                  </Td>
                  <Td>{stage ? `${(a.currentStage ?? 0) + 1}. ${stage.name}` : '—'}</Td>
                  <Td>{userName(a.ownerId)}</Td>
                  <Td>
                    {format.date(stage?.dueOn)} {overdue && <Badge tone="danger">Overdue</Badge>}
                  </Td>
                  <Td>{format.instant(a.createdAt)}</Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      {me.data?.role !== 'viewer' && <DelegationsSection />}
    </>
  );
}
