// SPDX-License-Identifier: AGPL-3.0-or-later
import { useRef } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { newIdempotencyKey } from '../api/client';
import type { Counterparty } from '../api/models';
import { isProblem } from '../api/problem';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { ErrorState } from '../ui/States';
import { useCreateCounterparty } from './counterpartiesApi';
import styles from '../contracts/ContractForm.module.css';

const counterpartySchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(300, 'At most 300 characters'),
  kind: z.enum(['company', 'person']),
  country: z
    .string()
    .trim()
    .refine((v) => v === '' || /^[A-Za-z]{2}$/.test(v), 'Two letters, e.g. DE'),
  contactEmail: z
    .string()
    .trim()
    .refine((v) => v === '' || /^[^\s@]+@[^\s@]+$/.test(v), 'Enter an e-mail address'),
});
type CounterpartyForm = z.infer<typeof counterpartySchema>;
const empty: CounterpartyForm = { name: '', kind: 'company', country: '', contactEmail: '' };

export function CounterpartyDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (counterparty: Counterparty) => void;
}) {
  const form = useForm<CounterpartyForm>({ resolver: zodResolver(counterpartySchema), defaultValues: empty });
  const create = useCreateCounterparty();
  const idempotencyKey = useRef(newIdempotencyKey());
  const { errors } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync({
        body: {
          name: values.name,
          kind: values.kind,
          ...(values.country ? { country: values.country.toUpperCase() } : {}),
          ...(values.contactEmail ? { contactEmail: values.contactEmail } : {}),
        },
        idempotencyKey: idempotencyKey.current,
      });
      idempotencyKey.current = newIdempotencyKey();
      form.reset(empty);
      create.reset();
      onCreated(created);
      onOpenChange(false);
    } catch (error) {
      if (isProblem(error) && error.isClientError) idempotencyKey.current = newIdempotencyKey();
      if (isProblem(error, 400))
        for (const e of error.errors)
          if (e.field in empty) form.setError(e.field as keyof CounterpartyForm, { message: e.message });
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New counterparty" description="Add a company or person you contract with.">
      <form
        className={styles.form}
        noValidate
        onSubmit={(event) => {
          // The dialog sits in a portal but React bubbles events through it: keep this submit
          // from also submitting the contract form around it.
          event.stopPropagation();
          void submit(event);
        }}
      >
        <Field label="Name" error={errors.name?.message}>
          {(control) => <input {...control} {...form.register('name')} autoComplete="organization" />}
        </Field>
        <Field label="Kind">
          {(control) => (
            <select {...control} {...form.register('kind')}>
              <option value="company">Company</option>
              <option value="person">Person</option>
            </select>
          )}
        </Field>
        <Field label="Country" hint="ISO code, e.g. DE" error={errors.country?.message}>
          {(control) => <input {...control} {...form.register('country')} maxLength={2} />}
        </Field>
        <Field label="Contact e-mail" error={errors.contactEmail?.message}>
          {(control) => <input {...control} {...form.register('contactEmail')} type="email" />}
        </Field>
        {create.isError && !isProblem(create.error, 400) && <ErrorState error={create.error} />}
        <div className={styles.actions}>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create counterparty
          </Button>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
