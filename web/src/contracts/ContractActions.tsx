// SPDX-License-Identifier: AGPL-3.0-or-later
// The contract header's actions: exactly those the server lists in `allowedActions` for the
// caller, so the UI never restates the lifecycle rules.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Contract } from '../api/models';
import { RenewDialog, TerminateDialog } from '../renewals/RenewalDialogs';
import { Button, ButtonLink } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { useToast } from '../ui/Toast';
import { allows, useArchive, useDeleteContract, useTransition } from './workflowApi';
import layout from '../ui/layout.module.css';

type Open = 'submit' | 'returnToDraft' | 'cancel' | 'renew' | 'terminate' | 'archive' | 'delete' | null;

export function ContractActions({ contract }: { contract: Contract }) {
  const [open, setOpen] = useState<Open>(null);
  const transition = useTransition(contract.id);
  const archive = useArchive(contract.id);
  const remove = useDeleteContract(contract.id);
  const toast = useToast();
  const navigate = useNavigate();
  const can = (action: Parameters<typeof allows>[1]) => allows(contract, action);
  const dialog = (name: Open) => ({
    open: open === name,
    onOpenChange: (next: boolean) => setOpen(next ? name : null),
  });

  const any =
    can('submit') ||
    can('returnToDraft') ||
    can('cancel') ||
    can('sendForSignature') ||
    can('renew') ||
    can('terminate') ||
    can('archive') ||
    can('delete');
  if (!any) return null;

  return (
    <div className={layout.actions} role="group" aria-label="Contract actions">
      {can('submit') && (
        <Button variant="primary" onClick={() => setOpen('submit')}>
          Submit for approval
        </Button>
      )}
      {can('sendForSignature') && (
        <ButtonLink variant="primary" to={`/contracts/${contract.id}/signatures?send=1`}>
          Send for signature
        </ButtonLink>
      )}
      {can('renew') && <Button onClick={() => setOpen('renew')}>Renew…</Button>}
      {can('terminate') && (
        <Button variant="danger" onClick={() => setOpen('terminate')}>
          Terminate…
        </Button>
      )}
      {can('returnToDraft') && <Button onClick={() => setOpen('returnToDraft')}>Return to draft</Button>}
      {can('cancel') && (
        <Button variant="danger" onClick={() => setOpen('cancel')}>
          Cancel contract
        </Button>
      )}
      {can('archive') && <Button onClick={() => setOpen('archive')}>Archive</Button>}
      {can('delete') && (
        <Button variant="danger" onClick={() => setOpen('delete')}>
          Delete
        </Button>
      )}

      <ConfirmDialog
        {...dialog('submit')}
        title="Submit for approval"
        description="The contract goes to its approvers under the organization's approval policy. Editing value, dates, parties or renewal terms afterwards returns it to draft."
        confirmLabel="Submit"
        textLabel="Comment"
        onConfirm={async (comment) => {
          await transition.mutateAsync({ to: 'in_review', ...(comment ? { comment } : {}) });
          toast({ title: 'Submitted for approval', tone: 'success' });
        }}
      />
      <ConfirmDialog
        {...dialog('returnToDraft')}
        title="Return to draft"
        description="A pending approval or signature request is voided."
        confirmLabel="Return to draft"
        textLabel="Comment"
        onConfirm={(comment) => transition.mutateAsync({ to: 'draft', ...(comment ? { comment } : {}) })}
      />
      <ConfirmDialog
        {...dialog('cancel')}
        title="Cancel contract"
        description="A cancelled contract is closed and cannot be reopened."
        confirmLabel="Cancel contract"
        danger
        textLabel="Comment"
        onConfirm={(comment) => transition.mutateAsync({ to: 'cancelled', ...(comment ? { comment } : {}) })}
      />
      <ConfirmDialog
        {...dialog('archive')}
        title="Archive contract"
        description="Archiving takes a closed contract out of day-to-day views; it stays readable."
        confirmLabel="Archive"
        onConfirm={() => archive.mutateAsync()}
      />
      <ConfirmDialog
        {...dialog('delete')}
        title="Delete contract"
        description={`“${contract.title}” and its documents will be deleted.`}
        confirmLabel="Delete"
        danger
        onConfirm={async () => {
          await remove.mutateAsync();
          toast({ title: 'Contract deleted', tone: 'success' });
          navigate('/contracts', { replace: true });
        }}
      />
      <RenewDialog contractId={contract.id} {...dialog('renew')} />
      <TerminateDialog contractId={contract.id} {...dialog('terminate')} />
    </div>
  );
}
