// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { Contract } from '../api/models';
import { isProblem } from '../api/problem';
import { useMe, useOrganization } from '../app/useSessionData';
import { useCounterpartyNames } from '../counterparties/counterpartiesApi';
import { useFormat } from '../format/useFormat';
import { useUserName, useUsers } from '../users/usersApi';
import { Button } from '../ui/Button';
import { ErrorState } from '../ui/States';
import { useToast } from '../ui/Toast';
import { ContractFields } from './ContractFields';
import {
  changedFields,
  contractFormSchema,
  fromContract,
  routeServerErrors,
  type ContractFormValues,
} from './contractForm';
import { useUpdateContract } from './contractsApi';
import formStyles from './ContractForm.module.css';
import styles from './ContractPage.module.css';

interface OverviewProps {
  contract: Contract;
  etag: string;
  editable: boolean;
  onReload: () => Promise<unknown>;
}

export function ContractOverview({ contract, etag, editable, onReload }: OverviewProps) {
  const [editing, setEditing] = useState(false);
  if (editing)
    return (
      <ContractEditForm
        contract={contract}
        etag={etag}
        onDone={() => setEditing(false)}
        onReload={onReload}
      />
    );
  return (
    <>
      {editable && (
        <div className={styles.panelHeader}>
          <span />
          <Button onClick={() => setEditing(true)}>Edit details</Button>
        </div>
      )}
      <ContractDetails contract={contract} />
    </>
  );
}

function ContractDetails({ contract }: { contract: Contract }) {
  const format = useFormat();
  const me = useMe();
  const userName = useUserName(me.data);
  const counterpartyNames = useCounterpartyNames();
  const item = (label: string, value: ReactNode, wide = false) => (
    <div className={wide ? styles.wide : undefined}>
      <dt>{label}</dt>
      <dd>{value === '' || value === null || value === undefined ? '—' : value}</dd>
    </div>
  );
  return (
    <dl className={styles.details}>
      {item('Type', contract.type)}
      {item('Owner', userName(contract.ownerId))}
      {item('Value', format.money(contract.value))}
      {item('Effective', format.date(contract.effectiveDate))}
      {item('Expires', format.date(contract.expirationDate))}
      {item('Notice deadline', format.date(contract.noticeDeadline))}
      {item('Days to expiry', contract.daysToExpiry)}
      {item('Renews automatically', contract.autoRenew ? 'Yes' : 'No')}
      {item('Renewal term', contract.renewalTermMonths ? `${contract.renewalTermMonths} months` : null)}
      {item('Notice period', contract.noticePeriodDays !== null ? `${contract.noticePeriodDays} days` : null)}
      {item('Legal hold', contract.legalHold ? 'Yes' : 'No')}
      {item('Tags', contract.tags.join(', '))}
      {item(
        'Parties',
        contract.parties
          .map((p) => `${counterpartyNames.get(p.counterpartyId) ?? 'Unknown counterparty'} (${p.role})`)
          .join('; '),
        true,
      )}
      {item('Description', contract.description, true)}
      {Object.entries(contract.customFields).map(([key, value]) => item(key, String(value)))}
      {item('Created', format.instant(contract.createdAt))}
      {item('Updated', format.instant(contract.updatedAt))}
    </dl>
  );
}

function ContractEditForm({
  contract,
  etag,
  onDone,
  onReload,
}: {
  contract: Contract;
  etag: string;
  onDone: () => void;
  onReload: () => Promise<unknown>;
}) {
  const initial = fromContract(contract);
  const [base] = useState({ values: initial, etag });
  const form = useForm<ContractFormValues>({ resolver: zodResolver(contractFormSchema), defaultValues: initial });
  const update = useUpdateContract(contract.id);
  const me = useMe();
  const organization = useOrganization();
  const users = useUsers(me.data);
  const toast = useToast();

  const submit = form.handleSubmit(async (values) => {
    const changes = changedFields(base.values, values);
    if (Object.keys(changes).length === 0) return onDone();
    try {
      // If-Match with the version the form was opened on: someone else's save meanwhile makes
      // this a 412 instead of silently overwriting their change.
      await update.mutateAsync({ changes, etag: base.etag });
      toast({ title: 'Contract saved', tone: 'success' });
      onDone();
    } catch (error) {
      if (isProblem(error, 400))
        for (const { name, message } of routeServerErrors(error.errors).atFields)
          form.setError(name as keyof ContractFormValues, { message });
    }
  });

  const conflict = isProblem(update.error, 412);

  return (
    <form className={formStyles.form} onSubmit={submit} noValidate aria-label="Edit contract">
      {conflict ? (
        <div role="alert" className={styles.conflict}>
          <strong>This contract was changed by someone else</strong>
          <span>
            Your changes were not saved, so theirs are not overwritten. Reload to see the current
            version, then make your changes again.
          </span>
          <Button
            variant="primary"
            onClick={async () => {
              await onReload();
              onDone();
            }}
          >
            Reload contract
          </Button>
        </div>
      ) : (
        update.isError && !isProblem(update.error, 400) && <ErrorState error={update.error} />
      )}
      <ContractFields
        form={form}
        contractTypes={organization.data?.contractTypes ?? []}
        users={users.data?.items ?? []}
        me={me.data}
      />
      <div className={formStyles.actions}>
        <Button type="submit" variant="primary" busy={update.isPending} disabled={conflict}>
          Save changes
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
