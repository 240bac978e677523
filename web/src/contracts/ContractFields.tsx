// SPDX-License-Identifier: AGPL-3.0-or-later
import { useEffect, useState } from 'react';
import { useFieldArray, type UseFormReturn } from 'react-hook-form';
import type { Me, User } from '../api/models';
import { CounterpartyDialog } from '../counterparties/CounterpartyDialog';
import { useCounterparties } from '../counterparties/counterpartiesApi';
import { Button } from '../ui/Button';
import { CheckboxField, Field } from '../ui/Field';
import { MAX_PARTIES, type ContractFormValues } from './contractForm';
import styles from './ContractForm.module.css';

export interface ContractFieldsProps {
  form: UseFormReturn<ContractFormValues>;
  contractTypes: string[];
  users: User[];
  me: Me | undefined;
}

/** The inputs of a contract, shared by the new-contract page and the edit form. */
export function ContractFields({ form, contractTypes, users, me }: ContractFieldsProps) {
  const { register, formState, control, setValue } = form;
  const errors = formState.errors;
  const parties = useFieldArray({ control, name: 'parties' });
  const customFields = useFieldArray({ control, name: 'customFields' });
  const counterparties = useCounterparties();
  // Which party row asked for a new counterparty, to put it there once created.
  const [creatingFor, setCreatingFor] = useState<number | undefined>();
  // A created counterparty is selected only once its <option> has rendered: a native select
  // silently drops a value it has no option for.
  const [justCreated, setJustCreated] = useState<{ index: number; id: string } | undefined>();
  useEffect(() => {
    if (!justCreated || !counterparties.data?.some((c) => c.id === justCreated.id)) return;
    setValue(`parties.${justCreated.index}.counterpartyId`, justCreated.id, {
      shouldDirty: true,
      shouldValidate: true,
    });
    setJustCreated(undefined);
  }, [justCreated, counterparties.data, setValue]);

  return (
    <>
      <fieldset className={styles.section}>
        <legend>Contract</legend>
        <Field label="Title" error={errors.title?.message} className={styles.wide}>
          {(c) => <input {...c} {...register('title')} />}
        </Field>
        <Field label="Type" error={errors.type?.message}>
          {(c) => (
            <select {...c} {...register('type')}>
              <option value="">Organization default</option>
              {contractTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
        {users.length > 0 && (
          <Field label="Owner" error={errors.ownerId?.message}>
            {(c) => (
              <select {...c} {...register('ownerId')}>
                <option value="">{me ? `${me.name} (me)` : 'Me'}</option>
                {users
                  .filter((u) => u.active && u.id !== me?.id)
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Description" error={errors.description?.message} className={styles.wide}>
          {(c) => <textarea {...c} {...register('description')} />}
        </Field>
        <Field label="Tags" hint="Separated by commas" error={errors.tags?.message} className={styles.wide}>
          {(c) => <input {...c} {...register('tags')} />}
        </Field>
      </fieldset>

      <fieldset className={styles.section}>
        <legend>Value and term</legend>
        <Field label="Amount" hint="e.g. 125000.00" error={errors.valueAmount?.message}>
          {(c) => <input {...c} {...register('valueAmount')} inputMode="decimal" />}
        </Field>
        <Field label="Currency" hint="ISO code, e.g. EUR" error={errors.valueCurrency?.message}>
          {(c) => (
            <input
              {...c}
              {...register('valueCurrency', { setValueAs: (v: string) => v.toUpperCase() })}
              maxLength={3}
            />
          )}
        </Field>
        <Field label="Effective date" error={errors.effectiveDate?.message}>
          {(c) => <input {...c} {...register('effectiveDate')} type="date" />}
        </Field>
        <Field label="Expiration date" error={errors.expirationDate?.message}>
          {(c) => <input {...c} {...register('expirationDate')} type="date" />}
        </Field>
      </fieldset>

      <fieldset className={styles.section}>
        <legend>Renewal</legend>
        <CheckboxField label="Renews automatically">
          {(c) => <input {...c} {...register('autoRenew')} type="checkbox" />}
        </CheckboxField>
        <Field label="Renewal term (months)" hint="1–120" error={errors.renewalTermMonths?.message}>
          {(c) => <input {...c} {...register('renewalTermMonths')} inputMode="numeric" />}
        </Field>
        <Field label="Notice period (days)" hint="0–3650" error={errors.noticePeriodDays?.message}>
          {(c) => <input {...c} {...register('noticePeriodDays')} inputMode="numeric" />}
        </Field>
      </fieldset>

      <fieldset className={styles.section}>
        <legend>Parties</legend>
        {parties.fields.map((party, index) => (
          <div key={party.id} className={styles.row}>
            <Field
              label={`Counterparty ${index + 1}`}
              error={errors.parties?.[index]?.counterpartyId?.message}
            >
              {(c) => (
                <select {...c} {...register(`parties.${index}.counterpartyId`)}>
                  <option value="">Choose…</option>
                  {(counterparties.data ?? []).map((cp) => (
                    <option key={cp.id} value={cp.id}>
                      {cp.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={`Role of party ${index + 1}`} hint="e.g. customer, supplier" error={errors.parties?.[index]?.role?.message}>
              {(c) => <input {...c} {...register(`parties.${index}.role`)} />}
            </Field>
            <div className={styles.actions}>
              <Button onClick={() => setCreatingFor(index)}>New counterparty…</Button>
              <Button variant="ghost" onClick={() => parties.remove(index)} aria-label={`Remove party ${index + 1}`}>
                Remove
              </Button>
            </div>
          </div>
        ))}
        {errors.parties?.root?.message && <p role="alert">{errors.parties.root.message}</p>}
        <div className={styles.rowActions}>
          <Button
            disabled={parties.fields.length >= MAX_PARTIES}
            onClick={() => parties.append({ counterpartyId: '', role: 'counterparty' })}
          >
            Add party
          </Button>
        </div>
      </fieldset>

      <fieldset className={styles.section}>
        <legend>Custom fields</legend>
        {customFields.fields.map((field, index) => (
          <div key={field.id} className={styles.row}>
            <Field label={`Field ${index + 1} name`} error={errors.customFields?.[index]?.key?.message}>
              {(c) => <input {...c} {...register(`customFields.${index}.key`)} />}
            </Field>
            <Field label={`Field ${index + 1} value`} error={errors.customFields?.[index]?.value?.message}>
              {(c) => <input {...c} {...register(`customFields.${index}.value`)} />}
            </Field>
            <Button variant="ghost" onClick={() => customFields.remove(index)} aria-label={`Remove field ${index + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        {errors.customFields?.root?.message && (
          <p role="alert" className={styles.wide}>
            {errors.customFields.root.message}
          </p>
        )}
        <div className={styles.rowActions}>
          <Button onClick={() => customFields.append({ key: '', value: '' })}>Add custom field</Button>
        </div>
      </fieldset>

      <CounterpartyDialog
        open={creatingFor !== undefined}
        onOpenChange={(open) => !open && setCreatingFor(undefined)}
        onCreated={(created) => {
          if (creatingFor !== undefined) setJustCreated({ index: creatingFor, id: created.id });
        }}
      />
    </>
  );
}
