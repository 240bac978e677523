// SPDX-License-Identifier: AGPL-3.0-or-later
import { useRef } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useNavigate } from 'react-router';
import { newIdempotencyKey } from '../api/client';
import { isProblem } from '../api/problem';
import { useMe, useOrganization } from '../app/useSessionData';
import { useUsers } from '../users/usersApi';
import { Button, ButtonLink } from '../ui/Button';
import { PageHeading } from '../ui/PageHeading';
import { ErrorState } from '../ui/States';
import { useToast } from '../ui/Toast';
import { ContractFields } from './ContractFields';
import {
  contractFormSchema,
  emptyContractForm,
  routeServerErrors,
  toContractInput,
  type ContractFormValues,
} from './contractForm';
import { useCreateContract } from './contractsApi';
import { ApiProblem } from '../api/problem';
import styles from './ContractForm.module.css';

export function NewContractPage() {
  const navigate = useNavigate();
  const toast = useToast();
  const me = useMe();
  const organization = useOrganization();
  const users = useUsers(me.data);
  const create = useCreateContract();
  const form = useForm<ContractFormValues>({
    resolver: zodResolver(contractFormSchema),
    defaultValues: emptyContractForm,
  });
  // One key per contract being created: a double click or a retry after a lost answer sends
  // the same key, and the server returns the first contract instead of creating a second.
  const idempotencyKey = useRef(newIdempotencyKey());
  const unplacedErrors = useRef<ApiProblem | undefined>(undefined);

  const submit = form.handleSubmit(async (values) => {
    unplacedErrors.current = undefined;
    try {
      const contract = await create.mutateAsync({
        body: toContractInput(values),
        idempotencyKey: idempotencyKey.current,
      });
      toast({ title: 'Contract created', description: contract.title, tone: 'success' });
      navigate(`/contracts/${contract.id}`);
    } catch (error) {
      // A 4xx means nothing was created: the corrected form is a new create with a new key.
      // After a network error or 5xx it may have been, so a retry keeps the key.
      if (isProblem(error) && error.isClientError) idempotencyKey.current = newIdempotencyKey();
      if (isProblem(error, 400)) {
        const { atFields, general } = routeServerErrors(error.errors);
        for (const { name, message } of atFields)
          form.setError(name as keyof ContractFormValues, { message }, { shouldFocus: true });
        if (general.length > 0)
          unplacedErrors.current = new ApiProblem(400, { ...error.body, errors: general });
      }
    }
  });

  const showProblem =
    create.isError && (!isProblem(create.error, 400) || unplacedErrors.current !== undefined);

  return (
    <>
      <PageHeading title="New contract">New contract</PageHeading>
      <form className={styles.form} onSubmit={submit} noValidate aria-label="New contract">
        <ContractFields
          form={form}
          contractTypes={organization.data?.contractTypes ?? []}
          users={users.data?.items ?? []}
          me={me.data}
        />
        {showProblem && <ErrorState error={unplacedErrors.current ?? create.error} />}
        <div className={styles.actions}>
          <Button type="submit" variant="primary" busy={create.isPending || form.formState.isSubmitting}>
            Create contract
          </Button>
          <ButtonLink to="/contracts">Cancel</ButtonLink>
        </div>
      </form>
    </>
  );
}
