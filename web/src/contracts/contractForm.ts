// SPDX-License-Identifier: AGPL-3.0-or-later
// The contract form's schema: one zod schema gives both the form's types and its validation,
// mirroring the server's rules (docs/API.md, ContractInput) so most mistakes are caught before
// a round trip. The server stays the judge: its `errors[].field` are mapped back onto fields.
import { z } from 'zod';
import type { Contract } from '../api/models';
import { toFormPath, type FieldError } from '../api/problem';
import { currencyDecimals, isKnownCurrency } from '../format/format';
import { isCalendarDate } from './contractListUrl';
import type { ContractInput } from './contractsApi';

export const MAX_TITLE = 300;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 50;
export const MAX_PARTIES = 50;

const optionalDate = z
  .string()
  .refine((v) => v === '' || isCalendarDate(v), 'Enter a date as YYYY-MM-DD');

const optionalInteger = (min: number, max: number) =>
  z
    .string()
    .trim()
    .refine(
      (v) => v === '' || (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max),
      `Enter a whole number from ${min} to ${max}`,
    );

export const partySchema = z.object({
  counterpartyId: z.string().min(1, 'Choose a counterparty'),
  role: z.string().trim().min(1, 'Enter the party’s role').max(100, 'At most 100 characters'),
});

export const customFieldSchema = z.object({
  key: z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters'),
  value: z.string().max(1000, 'At most 1000 characters'),
});

export const contractFormSchema = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'Enter a title')
      .max(MAX_TITLE, `At most ${MAX_TITLE} characters`),
    type: z.string(),
    description: z.string().max(10_000, 'At most 10,000 characters'),
    ownerId: z.string(),
    valueAmount: z.string().trim(),
    valueCurrency: z.string().trim(),
    effectiveDate: optionalDate,
    expirationDate: optionalDate,
    autoRenew: z.boolean(),
    renewalTermMonths: optionalInteger(1, 120),
    noticePeriodDays: optionalInteger(0, 3650),
    /** Comma-separated, as typed. */
    tags: z.string(),
    parties: z.array(partySchema).max(MAX_PARTIES, `At most ${MAX_PARTIES} parties`),
    customFields: z.array(customFieldSchema),
  })
  .superRefine((values, ctx) => {
    const { valueAmount: amount, valueCurrency: currency } = values;
    if (amount !== '' || currency !== '') {
      if (!/^\d+(\.\d+)?$/.test(amount))
        ctx.addIssue({ code: 'custom', path: ['valueAmount'], message: 'Enter an amount such as 1250.00' });
      if (!isKnownCurrency(currency))
        ctx.addIssue({
          code: 'custom',
          path: ['valueCurrency'],
          message: 'Enter an ISO 4217 code such as EUR',
        });
      else {
        const decimals = amount.split('.')[1]?.length ?? 0;
        const allowed = currencyDecimals(currency);
        if (decimals > allowed)
          ctx.addIssue({
            code: 'custom',
            path: ['valueAmount'],
            message: `At most ${allowed} decimals for ${currency}`,
          });
      }
    }
    if (
      values.effectiveDate &&
      values.expirationDate &&
      values.expirationDate < values.effectiveDate
    )
      ctx.addIssue({
        code: 'custom',
        path: ['expirationDate'],
        message: 'Must not be before the effective date',
      });
    const tags = splitTags(values.tags);
    if (tags.length > MAX_TAGS)
      ctx.addIssue({ code: 'custom', path: ['tags'], message: `At most ${MAX_TAGS} tags` });
    const long = tags.find((t) => t.length > MAX_TAG_LENGTH);
    if (long)
      ctx.addIssue({
        code: 'custom',
        path: ['tags'],
        message: `Tags have at most ${MAX_TAG_LENGTH} characters ("${long.slice(0, 20)}…")`,
      });
    const seen = new Set<string>();
    values.customFields.forEach((field, index) => {
      const key = field.key.trim();
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['customFields', index, 'key'], message: 'Used twice' });
      seen.add(key);
    });
  });

export type ContractFormValues = z.infer<typeof contractFormSchema>;

export const emptyContractForm: ContractFormValues = {
  title: '',
  type: '',
  description: '',
  ownerId: '',
  valueAmount: '',
  valueCurrency: '',
  effectiveDate: '',
  expirationDate: '',
  autoRenew: false,
  renewalTermMonths: '',
  noticePeriodDays: '',
  tags: '',
  parties: [],
  customFields: [],
};

export function splitTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

const orNull = (text: string) => (text === '' ? null : text);
const intOrNull = (text: string) => (text.trim() === '' ? null : Number(text));

/** The request body for a new contract: empty optional fields are left out. */
export function toContractInput(values: ContractFormValues): ContractInput {
  const input: ContractInput = {
    title: values.title.trim(),
    parties: values.parties.map((p) => ({ counterpartyId: p.counterpartyId, role: p.role.trim() })),
    tags: splitTags(values.tags),
    autoRenew: values.autoRenew,
  };
  if (values.type) input.type = values.type;
  if (values.description) input.description = values.description;
  if (values.ownerId) input.ownerId = values.ownerId;
  if (values.valueAmount)
    input.value = { amount: values.valueAmount, currency: values.valueCurrency.toUpperCase() };
  if (values.effectiveDate) input.effectiveDate = values.effectiveDate;
  if (values.expirationDate) input.expirationDate = values.expirationDate;
  if (values.renewalTermMonths) input.renewalTermMonths = intOrNull(values.renewalTermMonths);
  if (values.noticePeriodDays) input.noticePeriodDays = intOrNull(values.noticePeriodDays);
  if (values.customFields.length > 0)
    input.customFields = Object.fromEntries(
      values.customFields.map((f) => [f.key.trim(), f.value]),
    );
  return input;
}

/** The form's values for an existing contract (for editing). */
export function fromContract(contract: Contract): ContractFormValues {
  return {
    title: contract.title,
    type: contract.type,
    description: contract.description,
    ownerId: contract.ownerId,
    valueAmount: contract.value?.amount ?? '',
    valueCurrency: contract.value?.currency ?? '',
    effectiveDate: contract.effectiveDate ?? '',
    expirationDate: contract.expirationDate ?? '',
    autoRenew: contract.autoRenew,
    renewalTermMonths: contract.renewalTermMonths?.toString() ?? '',
    noticePeriodDays: contract.noticePeriodDays?.toString() ?? '',
    tags: contract.tags.join(', '),
    parties: contract.parties.map((p) => ({ ...p })),
    customFields: Object.entries(contract.customFields).map(([key, value]) => ({
      key,
      value: String(value),
    })),
  };
}

/**
 * The PATCH body: only what the user changed, so an untouched term of an active contract is
 * not sent back (the server refuses material changes there) and concurrent edits of other
 * fields are not overwritten.
 */
export function changedFields(before: ContractFormValues, after: ContractFormValues): ContractInput {
  const changes: ContractInput = {};
  if (after.title.trim() !== before.title) changes.title = after.title.trim();
  if (after.type !== before.type && after.type) changes.type = after.type;
  if (after.description !== before.description) changes.description = after.description;
  if (after.ownerId !== before.ownerId && after.ownerId) changes.ownerId = after.ownerId;
  if (after.valueAmount !== before.valueAmount || after.valueCurrency !== before.valueCurrency)
    changes.value = after.valueAmount
      ? { amount: after.valueAmount, currency: after.valueCurrency.toUpperCase() }
      : null;
  if (after.effectiveDate !== before.effectiveDate) changes.effectiveDate = orNull(after.effectiveDate);
  if (after.expirationDate !== before.expirationDate)
    changes.expirationDate = orNull(after.expirationDate);
  if (after.autoRenew !== before.autoRenew) changes.autoRenew = after.autoRenew;
  if (after.renewalTermMonths !== before.renewalTermMonths)
    changes.renewalTermMonths = intOrNull(after.renewalTermMonths);
  if (after.noticePeriodDays !== before.noticePeriodDays)
    changes.noticePeriodDays = intOrNull(after.noticePeriodDays);
  if (splitTags(after.tags).join('\n') !== splitTags(before.tags).join('\n'))
    changes.tags = splitTags(after.tags);
  if (JSON.stringify(after.parties) !== JSON.stringify(before.parties))
    changes.parties = after.parties.map((p) => ({ counterpartyId: p.counterpartyId, role: p.role.trim() }));
  if (JSON.stringify(after.customFields) !== JSON.stringify(before.customFields))
    changes.customFields = Object.fromEntries(after.customFields.map((f) => [f.key.trim(), f.value]));
  return changes;
}

/** Where a server error belongs in the form; undefined when no field shows it. */
export function formFieldForServerPath(path: string): string | undefined {
  const formPath = toFormPath(path);
  if (formPath === 'value' || formPath === 'value.amount') return 'valueAmount';
  if (formPath === 'value.currency') return 'valueCurrency';
  if (formPath.startsWith('tags')) return 'tags';
  if (formPath.startsWith('customFields.')) return 'customFields.root';
  if (/^parties\.\d+\.(counterpartyId|role)$/.test(formPath) || formPath === 'parties')
    return formPath;
  const topLevel = [
    'title',
    'type',
    'description',
    'ownerId',
    'effectiveDate',
    'expirationDate',
    'autoRenew',
    'renewalTermMonths',
    'noticePeriodDays',
  ];
  return topLevel.includes(formPath) ? formPath : undefined;
}

/** Splits server errors into those shown at a field and those shown above the form. */
export function routeServerErrors(errors: FieldError[]) {
  const atFields: Array<{ name: string; message: string }> = [];
  const general: FieldError[] = [];
  for (const error of errors) {
    const name = formFieldForServerPath(error.field);
    if (name) atFields.push({ name, message: error.message });
    else general.push(error);
  }
  return { atFields, general };
}
