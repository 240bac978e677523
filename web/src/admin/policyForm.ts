// SPDX-License-Identifier: AGPL-3.0-or-later
// The approval policy editor's form model: the policy as editable strings, and back. Paths of
// the server's validation errors (`rules[0].stages[1].mode`) name the same places in the form,
// so each error is shown at its field.
import type { ApprovalPolicy, ApprovalPolicyView, ApprovalStage, Role } from '../api/models';

export interface StageForm {
  name: string;
  mode: 'any' | 'all';
  slaDays: string;
  roles: Role[];
  userIds: string[];
}
export interface ValueForm {
  currency: string;
  min: string;
  max: string;
}
export interface RuleForm {
  name: string;
  types: string;
  countries: string;
  tags: string;
  values: ValueForm[];
  stages: StageForm[];
}
export interface PolicyForm {
  name: string;
  rules: RuleForm[];
  defaultName: string;
  defaultStages: StageForm[];
}

export const newStage = (): StageForm => ({ name: '', mode: 'any', slaDays: '3', roles: ['manager'], userIds: [] });
export const newRule = (): RuleForm => ({ name: '', types: '', countries: '', tags: '', values: [], stages: [newStage()] });

const list = (csv: string) =>
  csv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function stageToForm(s: ApprovalStage): StageForm {
  return {
    name: s.name,
    mode: s.mode,
    slaDays: String(s.slaDays),
    roles: s.approvers.roles ?? [],
    userIds: s.approvers.userIds ?? [],
  };
}

function stageFromForm(s: StageForm): ApprovalStage {
  const sla = Number(s.slaDays);
  return {
    name: s.name.trim(),
    mode: s.mode,
    // Not a number stays as typed for the server to name (`slaDays` must be an integer).
    slaDays: s.slaDays.trim() !== '' && Number.isFinite(sla) ? sla : (s.slaDays as unknown as number),
    approvers: {
      ...(s.roles.length ? { roles: s.roles } : {}),
      ...(s.userIds.length ? { userIds: s.userIds } : {}),
    },
  };
}

export function policyToForm(view: Pick<ApprovalPolicyView, 'name' | 'rules' | 'default'>): PolicyForm {
  return {
    name: view.name,
    defaultName: view.default.name,
    defaultStages: view.default.stages.map(stageToForm),
    rules: view.rules.map((r) => ({
      name: r.name,
      types: (r.when?.types ?? []).join(', '),
      countries: (r.when?.countries ?? []).join(', '),
      tags: (r.when?.tags ?? []).join(', '),
      values: (r.when?.values ?? []).map((v) => ({ currency: v.currency, min: v.min ?? '', max: v.max ?? '' })),
      stages: r.stages.map(stageToForm),
    })),
  };
}

export function policyFromForm(form: PolicyForm): ApprovalPolicy {
  return {
    name: form.name.trim(),
    default: { name: form.defaultName.trim(), stages: form.defaultStages.map(stageFromForm) },
    rules: form.rules.map((r) => {
      const types = list(r.types);
      const countries = list(r.countries).map((c) => c.toUpperCase());
      const tags = list(r.tags);
      const values = r.values.map((v) => ({
        currency: v.currency.trim().toUpperCase(),
        ...(v.min.trim() ? { min: v.min.trim() } : {}),
        ...(v.max.trim() ? { max: v.max.trim() } : {}),
      }));
      const when = {
        ...(types.length ? { types } : {}),
        ...(countries.length ? { countries } : {}),
        ...(tags.length ? { tags } : {}),
        ...(values.length ? { values } : {}),
      };
      return { name: r.name.trim(), ...(Object.keys(when).length ? { when } : {}), stages: r.stages.map(stageFromForm) };
    }),
  };
}

/**
 * The form's field for a server path: `default.stages[0].name` → `defaultStages[0].name`,
 * `rules[1].when.types` → `rules[1].types`, `...approvers.roles` → `...roles`.
 */
export function formPath(serverPath: string): string {
  return serverPath
    .replace(/^default\.name$/, 'defaultName')
    .replace(/^default\.stages/, 'defaultStages')
    .replace(/\.when\./, '.')
    .replace(/\.approvers(\.(roles|userIds))?$/, '.approvers')
    .replace(/\.approvers\./, '.');
}

/** Errors keyed by form path; `approvers` (neither roles nor users) goes to the stage's roles. */
export function errorsByPath(errors: Array<{ field: string; message: string }>): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of errors) {
    const path = formPath(e.field);
    if (!map.has(path)) map.set(path, e.message);
  }
  return map;
}
