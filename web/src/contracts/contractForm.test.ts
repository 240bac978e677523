// SPDX-License-Identifier: AGPL-3.0-or-later
import {
  changedFields,
  contractFormSchema,
  emptyContractForm,
  fromContract,
  routeServerErrors,
  toContractInput,
  type ContractFormValues,
} from './contractForm';
import type { Contract } from '../api/models';

const valid: ContractFormValues = {
  ...emptyContractForm,
  title: 'Master services agreement',
  type: 'msa',
  valueAmount: '125000.00',
  valueCurrency: 'EUR',
  effectiveDate: '2026-01-01',
  expirationDate: '2027-12-31',
  tags: 'priority, sales, priority',
  parties: [{ counterpartyId: 'cp-1', role: 'customer' }],
  customFields: [{ key: 'region', value: 'EMEA' }],
};

function messages(values: ContractFormValues) {
  const result = contractFormSchema.safeParse(values);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('contract form validation', () => {
  it('accepts a complete contract', () => {
    expect(messages(valid)).toEqual({});
  });

  it('requires a title of at most 300 characters', () => {
    expect(messages({ ...valid, title: '   ' })).toHaveProperty('title', 'Enter a title');
    expect(messages({ ...valid, title: 'x'.repeat(301) })).toHaveProperty('title');
  });

  it('needs an amount with a known currency, and the currency’s decimals', () => {
    expect(messages({ ...valid, valueCurrency: '' })).toHaveProperty('valueCurrency');
    expect(messages({ ...valid, valueAmount: '12,50' })).toHaveProperty('valueAmount');
    expect(messages({ ...valid, valueAmount: '1.234' })).toHaveProperty(
      'valueAmount',
      'At most 2 decimals for EUR',
    );
    expect(messages({ ...valid, valueAmount: '1500.5', valueCurrency: 'JPY' })).toHaveProperty(
      'valueAmount',
      'At most 0 decimals for JPY',
    );
  });

  it('refuses an expiration before the effective date', () => {
    expect(messages({ ...valid, expirationDate: '2025-12-31' })).toHaveProperty(
      'expirationDate',
      'Must not be before the effective date',
    );
  });

  it('limits tags to 50 of at most 50 characters', () => {
    const many = Array.from({ length: 51 }, (_, i) => `t${i}`).join(',');
    expect(messages({ ...valid, tags: many })).toHaveProperty('tags', 'At most 50 tags');
    expect(messages({ ...valid, tags: 'y'.repeat(51) })).toHaveProperty('tags');
  });

  it('needs a counterparty and a role for every party', () => {
    expect(messages({ ...valid, parties: [{ counterpartyId: '', role: ' ' }] })).toEqual({
      'parties.0.counterpartyId': 'Choose a counterparty',
      'parties.0.role': 'Enter the party’s role',
    });
  });

  it('checks renewal terms ranges', () => {
    expect(messages({ ...valid, renewalTermMonths: '0' })).toHaveProperty('renewalTermMonths');
    expect(messages({ ...valid, noticePeriodDays: '3651' })).toHaveProperty('noticePeriodDays');
    expect(messages({ ...valid, renewalTermMonths: '12', noticePeriodDays: '0' })).toEqual({});
  });

  it('refuses the same custom field twice', () => {
    expect(
      messages({
        ...valid,
        customFields: [
          { key: 'region', value: 'a' },
          { key: 'region', value: 'b' },
        ],
      }),
    ).toHaveProperty('customFields.1.key', 'Used twice');
  });
});

describe('contract form to request', () => {
  it('sends what was filled in, tags de-duplicated', () => {
    expect(toContractInput(valid)).toEqual({
      title: 'Master services agreement',
      type: 'msa',
      parties: [{ counterpartyId: 'cp-1', role: 'customer' }],
      tags: ['priority', 'sales'],
      autoRenew: false,
      value: { amount: '125000.00', currency: 'EUR' },
      effectiveDate: '2026-01-01',
      expirationDate: '2027-12-31',
      customFields: { region: 'EMEA' },
    });
  });

  it('sends only changed fields when editing', () => {
    const contract = {
      title: 'A',
      type: 'nda',
      description: '',
      ownerId: 'u1',
      value: { amount: '10.00', currency: 'EUR' },
      effectiveDate: '2026-01-01',
      expirationDate: null,
      autoRenew: false,
      renewalTermMonths: null,
      noticePeriodDays: 30,
      tags: ['x'],
      parties: [],
      customFields: {},
    } as unknown as Contract;
    const before = fromContract(contract);
    expect(changedFields(before, { ...before, title: 'B ', expirationDate: '2027-01-01' })).toEqual({
      title: 'B',
      expirationDate: '2027-01-01',
    });
    expect(changedFields(before, { ...before, valueAmount: '', valueCurrency: '', noticePeriodDays: '' })).toEqual({
      value: null,
      noticePeriodDays: null,
    });
  });

  it('puts server errors next to their fields', () => {
    const { atFields, general } = routeServerErrors([
      { field: 'parties[0].role', message: 'must not be empty' },
      { field: 'value.currency', message: 'must be an ISO 4217 currency code' },
      { field: 'tags[3]', message: 'must be 1-50 characters' },
      { field: 'relation', message: 'needs parentId' },
    ]);
    expect(atFields).toEqual([
      { name: 'parties.0.role', message: 'must not be empty' },
      { name: 'valueCurrency', message: 'must be an ISO 4217 currency code' },
      { name: 'tags', message: 'must be 1-50 characters' },
    ]);
    expect(general).toEqual([{ field: 'relation', message: 'needs parentId' }]);
  });
});
