// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState } from 'react';
import type { Approval, Contract } from '../api/models';
import { isProblem } from '../api/problem';
import { useMe } from '../app/useSessionData';
import { useApproval, useDecide, useMyApprovals } from '../contracts/workflowApi';
import { useFormat } from '../format/useFormat';
import { useUserName } from '../users/usersApi';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { Badge, EmptyState, ErrorState, type Tone } from '../ui/States';
import { useToast } from '../ui/Toast';
import layout from '../ui/layout.module.css';

const stageTone: Record<Approval['stages'][number]['status'], Tone> = {
  waiting: 'neutral',
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  void: 'neutral',
};
const approvalTone: Record<Approval['status'], Tone> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  void: 'neutral',
};

export function ApprovalTab({ contract }: { contract: Contract }) {
  const approval = useApproval(contract.id);
  if (approval.isPending) return <Loading what="the approval" />;
  if (approval.isError) {
    if (isProblem(approval.error, 404))
      return (
        <EmptyState title="No approval yet">
          Submitting the contract for approval starts one, routed by the organization’s policy.
        </EmptyState>
      );
    return <ErrorState error={approval.error} onRetry={() => void approval.refetch()} />;
  }
  return <ApprovalView approval={approval.data} />;
}

export function ApprovalView({ approval }: { approval: Approval }) {
  const format = useFormat();
  const me = useMe();
  const userName = useUserName(me.data);
  const current = approval.currentStage !== null ? approval.stages[approval.currentStage] : undefined;
  const waitingForMe = approval.status === 'pending' && me.data !== undefined && current?.awaiting.includes(me.data.id);
  // Listed in my inbox without being an approver myself: I stand in for someone (delegation).
  const inbox = useMyApprovals();
  const asDelegate =
    !waitingForMe && approval.status === 'pending' && (inbox.data?.items.some((a) => a.id === approval.id) ?? false);

  return (
    <div className={layout.stack}>
      <div className={layout.spread}>
        <h2>Approval</h2>
        <Badge tone={approvalTone[approval.status]}>{approval.status}</Badge>
      </div>
      <p className={layout.muted}>
        Policy “{approval.policyName}”, rule “{approval.ruleName}”; started {format.instant(approval.createdAt)}
        {approval.completedAt ? `, completed ${format.instant(approval.completedAt)}` : ''}.
        {approval.voidReason ? ` Voided: ${approval.voidReason}` : ''}
      </p>
      <ol className={layout.plainList} aria-label="Stages">
        {approval.stages.map((stage, index) => (
          <li key={index} className={layout.stack}>
            <div className={layout.spread}>
              <strong>
                Stage {index + 1}: {stage.name}
              </strong>
              <Badge tone={stageTone[stage.status]}>{stage.status}</Badge>
            </div>
            <span className={layout.muted}>
              {stage.mode === 'all' ? 'Every approver must approve' : 'One approver is enough'}
              {' · '}SLA {stage.slaDays} days{stage.dueOn ? `, due ${format.date(stage.dueOn)}` : ''}
            </span>
            <span>Approvers: {stage.approverIds.map(userName).join(', ') || '—'}</span>
            {stage.awaiting.length > 0 && stage.status === 'pending' && (
              <span>Waiting for: {stage.awaiting.map(userName).join(', ')}</span>
            )}
            <ul className={layout.plainList} aria-label={`Decisions of stage ${index + 1}`}>
              {approval.decisions
                .filter((d) => d.stage === index)
                .map((d, i) => (
                  <li key={i}>
                    <Badge tone={d.decision === 'approve' ? 'success' : 'danger'}>
                      {d.decision === 'approve' ? 'Approved' : 'Rejected'}
                    </Badge>{' '}
                    by {userName(d.actorId)}
                    {d.actorId !== d.approverId ? ` on behalf of ${userName(d.approverId)} (delegation)` : ''} ·{' '}
                    <time dateTime={d.at}>{format.instant(d.at)}</time>
                    {d.comment && <p className={layout.pre}>{d.comment}</p>}
                  </li>
                ))}
            </ul>
          </li>
        ))}
      </ol>
      {asDelegate && current && (
        <p className={layout.notice} role="note">
          You decide here as a delegate: your decision is recorded on behalf of the approver you
          choose, within the dates of their delegation.
        </p>
      )}
      {(waitingForMe || (asDelegate && current)) && (
        <DecisionForm approval={approval} onBehalfOf={asDelegate ? current?.awaiting ?? [] : undefined} />
      )}
    </div>
  );
}

function DecisionForm({ approval, onBehalfOf }: { approval: Approval; onBehalfOf?: string[] | undefined }) {
  const me = useMe();
  const userName = useUserName(me.data);
  const [principal, setPrincipal] = useState(onBehalfOf?.[0] ?? '');
  const [comment, setComment] = useState('');
  const [needComment, setNeedComment] = useState(false);
  const decide = useDecide(approval.contractId);
  const toast = useToast();

  async function send(decision: 'approve' | 'reject') {
    if (decision === 'reject' && !comment.trim()) {
      setNeedComment(true);
      return;
    }
    try {
      await decide.mutateAsync({
        decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(approval.currentStage !== null ? { stage: approval.currentStage } : {}),
        ...(onBehalfOf && principal ? { onBehalfOf: principal } : {}),
      });
      setComment('');
      toast({ title: decision === 'approve' ? 'Approved' : 'Rejected', tone: 'success' });
    } catch {
      // shown below
    }
  }

  return (
    <form className={layout.card} aria-label="Your decision" onSubmit={(e) => e.preventDefault()}>
      <h3>Your decision</h3>
      {onBehalfOf && (
        <Field label="On behalf of">
          {(control) => (
            <select {...control} value={principal} onChange={(e) => setPrincipal(e.target.value)}>
              {onBehalfOf.map((id) => (
                <option key={id} value={id}>
                  {userName(id)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field
        label="Comment"
        hint="Required to reject"
        error={needComment && !comment.trim() ? 'Say why you reject it' : undefined}
      >
        {(control) => <textarea {...control} value={comment} onChange={(e) => setComment(e.target.value)} />}
      </Field>
      {decide.isError && <ErrorState error={decide.error} />}
      <div className={layout.actions}>
        <Button variant="primary" busy={decide.isPending} onClick={() => void send('approve')}>
          Approve
        </Button>
        <Button variant="danger" busy={decide.isPending} onClick={() => void send('reject')}>
          Reject
        </Button>
      </div>
    </form>
  );
}
