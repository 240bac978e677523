// SPDX-License-Identifier: AGPL-3.0-or-later
import { errorsByPath, formPath, newRule, policyFromForm, policyToForm } from './policyForm';

const view = {
  name: 'Standard',
  default: { name: 'Default', stages: [{ name: 'Manager', mode: 'any' as const, slaDays: 3, approvers: { roles: ['manager' as const] } }] },
  rules: [
    {
      name: 'Big deals',
      when: { types: ['msa'], values: [{ currency: 'EUR', min: '100000' }], countries: ['DE'] },
      stages: [
        { name: 'Legal', mode: 'all' as const, slaDays: 5, approvers: { userIds: ['u1', 'u2'] } },
        { name: 'CFO', mode: 'any' as const, slaDays: 2, approvers: { roles: ['admin' as const] } },
      ],
    },
  ],
};

describe('approval policy form model', () => {
  it('round-trips a policy through the form', () => {
    expect(policyFromForm(policyToForm(view))).toEqual(view);
  });

  it('reads comma lists, upper-cases codes and leaves out empty conditions', () => {
    const form = policyToForm(view);
    form.rules.push({ ...newRule(), name: 'NDAs', types: ' nda , ', countries: 'fr, de' });
    const policy = policyFromForm(form);
    expect(policy.rules[1]).toEqual({
      name: 'NDAs',
      when: { types: ['nda'], countries: ['FR', 'DE'] },
      stages: [{ name: '', mode: 'any', slaDays: 3, approvers: { roles: ['manager'] } }],
    });
    form.rules[1]!.types = '';
    form.rules[1]!.countries = '';
    expect(policyFromForm(form).rules[1]).not.toHaveProperty('when');
  });

  it('maps the server’s error paths to the form’s fields', () => {
    expect(formPath('rules[0].stages[1].mode')).toBe('rules[0].stages[1].mode');
    expect(formPath('default.stages[0].name')).toBe('defaultStages[0].name');
    expect(formPath('default.name')).toBe('defaultName');
    expect(formPath('rules[2].when.countries[0]')).toBe('rules[2].countries[0]');
    expect(formPath('rules[0].stages[0].approvers')).toBe('rules[0].stages[0].approvers');
    expect(formPath('rules[0].stages[0].approvers.userIds[1]')).toBe('rules[0].stages[0].userIds[1]');
    const map = errorsByPath([
      { field: 'rules[0].stages[1].mode', message: 'must be any or all' },
      { field: 'rules[0].stages[1].mode', message: 'second' },
    ]);
    expect(map.get('rules[0].stages[1].mode')).toBe('must be any or all');
  });
});
