// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState } from 'react';
import { roles, type ApprovalPolicyView, type Role } from '../api/models';
import { isProblem } from '../api/problem';
import { useMe } from '../app/useSessionData';
import { useFormat } from '../format/useFormat';
import { useUsers } from '../users/usersApi';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { ErrorState } from '../ui/States';
import { useToast } from '../ui/Toast';
import { useApprovalPolicy, useSaveApprovalPolicy } from './adminApi';
import {
  errorsByPath,
  newRule,
  newStage,
  policyFromForm,
  policyToForm,
  type PolicyForm,
  type StageForm,
} from './policyForm';
import layout from '../ui/layout.module.css';
import styles from './Admin.module.css';

export function PolicySection() {
  const policy = useApprovalPolicy();
  if (policy.isPending) return <Loading what="the approval policy" />;
  if (policy.isError) return <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />;
  return <PolicyEditor key={policy.data.version} view={policy.data} />;
}

function PolicyEditor({ view }: { view: ApprovalPolicyView }) {
  const [form, setForm] = useState<PolicyForm>(() => policyToForm(view));
  const save = useSaveApprovalPolicy();
  const toast = useToast();
  const format = useFormat();
  const errors = isProblem(save.error, 400) ? errorsByPath(save.error.errors) : new Map<string, string>();
  const err = (path: string) => {
    if (errors.has(path)) return errors.get(path);
    for (const [k, v] of errors) if (k.startsWith(`${path}[`) || k.startsWith(`${path}.`)) return v;
    return undefined;
  };
  const shown = new Set<string>();
  const track = (path: string) => {
    shown.add(path);
    return err(path);
  };
  const edit = (fn: (draft: PolicyForm) => void) =>
    setForm((current) => {
      const draft = structuredClone(current);
      fn(draft);
      return draft;
    });

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    try {
      await save.mutateAsync(policyFromForm(form));
      toast({ title: 'Approval policy saved', description: 'Running approvals keep their route.', tone: 'success' });
    } catch {
      // errors are shown at their fields
    }
  }

  const body = (
    <>
      <Field label="Policy name" error={track('name')}>
        {(c) => <input {...c} value={form.name} onChange={(e) => edit((d) => void (d.name = e.target.value))} />}
      </Field>
      <h3>Rules</h3>
      <p className={layout.muted}>The first rule whose conditions all hold routes a contract; an empty condition always holds.</p>
      {form.rules.map((rule, r) => {
        const p = `rules[${r}]`;
        return (
          <fieldset key={r} className={styles.rule}>
            <legend>Rule {r + 1}</legend>
            <div className={layout.formGrid}>
              <Field label={`Rule ${r + 1} name`} error={track(`${p}.name`)}>
                {(c) => <input {...c} value={rule.name} onChange={(e) => edit((d) => void (d.rules[r]!.name = e.target.value))} />}
              </Field>
              <Field label={`Rule ${r + 1} contract types`} hint="Comma-separated" error={track(`${p}.types`)}>
                {(c) => <input {...c} value={rule.types} onChange={(e) => edit((d) => void (d.rules[r]!.types = e.target.value))} />}
              </Field>
              <Field label={`Rule ${r + 1} countries`} hint="Two-letter codes" error={track(`${p}.countries`)}>
                {(c) => <input {...c} value={rule.countries} onChange={(e) => edit((d) => void (d.rules[r]!.countries = e.target.value))} />}
              </Field>
              <Field label={`Rule ${r + 1} tags`} hint="Comma-separated" error={track(`${p}.tags`)}>
                {(c) => <input {...c} value={rule.tags} onChange={(e) => edit((d) => void (d.rules[r]!.tags = e.target.value))} />}
              </Field>
            </div>
            {rule.values.map((v, i) => {
              const vp = `${p}.values[${i}]`;
              return (
                <div key={i} className={layout.formGrid}>
                  <Field label={`Rule ${r + 1} value ${i + 1} currency`} error={track(`${vp}.currency`) ?? track(vp)}>
                    {(c) => <input {...c} maxLength={3} value={v.currency} onChange={(e) => edit((d) => void (d.rules[r]!.values[i]!.currency = e.target.value))} />}
                  </Field>
                  <Field label={`Rule ${r + 1} value ${i + 1} at least`} error={track(`${vp}.min`)}>
                    {(c) => <input {...c} inputMode="decimal" value={v.min} onChange={(e) => edit((d) => void (d.rules[r]!.values[i]!.min = e.target.value))} />}
                  </Field>
                  <Field label={`Rule ${r + 1} value ${i + 1} at most`} error={track(`${vp}.max`)}>
                    {(c) => <input {...c} inputMode="decimal" value={v.max} onChange={(e) => edit((d) => void (d.rules[r]!.values[i]!.max = e.target.value))} />}
                  </Field>
                  <Button small onClick={() => edit((d) => void d.rules[r]!.values.splice(i, 1))}>
                    Remove value condition
                  </Button>
                </div>
              );
            })}
            <div className={layout.actions}>
              <Button small onClick={() => edit((d) => void d.rules[r]!.values.push({ currency: '', min: '', max: '' }))}>
                Add value condition
              </Button>
            </div>
            <StagesEditor
              label={`Rule ${r + 1}`}
              prefix={`${p}.stages`}
              stages={rule.stages}
              err={track}
              onChange={(stages) => edit((d) => void (d.rules[r]!.stages = stages))}
            />
            <div className={layout.actions}>
              <Button small disabled={r === 0} onClick={() => edit((d) => void d.rules.splice(r - 1, 0, d.rules.splice(r, 1)[0]!))}>
                Move rule {r + 1} up
              </Button>
              <Button small variant="danger" onClick={() => edit((d) => void d.rules.splice(r, 1))}>
                Remove rule {r + 1}
              </Button>
            </div>
          </fieldset>
        );
      })}
      <div>
        <Button onClick={() => edit((d) => void d.rules.push(newRule()))}>Add rule</Button>
      </div>
      <fieldset className={styles.rule}>
        <legend>When no rule applies</legend>
        <Field label="Default route name" error={track('defaultName')}>
          {(c) => <input {...c} value={form.defaultName} onChange={(e) => edit((d) => void (d.defaultName = e.target.value))} />}
        </Field>
        <StagesEditor
          label="Default"
          prefix="defaultStages"
          stages={form.defaultStages}
          err={track}
          onChange={(stages) => edit((d) => void (d.defaultStages = stages))}
        />
      </fieldset>
    </>
  );
  const unplaced = [...errors].filter(([path]) => ![...shown].some((s) => path === s || path.startsWith(`${s}[`) || path.startsWith(`${s}.`)));

  return (
    <form className={layout.form} onSubmit={submit} noValidate aria-label="Approval policy">
      <p className={layout.muted}>
        {view.isDefault
          ? 'The built-in policy is in use: one stage, any manager, 3 days.'
          : `Version ${view.version}, saved ${format.instant(view.updatedAt)}.`}{' '}
        A change applies to contracts submitted afterwards; running approvals keep their route.
      </p>
      {body}
      {save.isError && (!isProblem(save.error, 400) || unplaced.length > 0) && (
        <ErrorState error={save.error} />
      )}
      <div className={layout.actions}>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save policy
        </Button>
        <Button onClick={() => setForm(policyToForm(view))}>Discard changes</Button>
      </div>
    </form>
  );
}

function StagesEditor({
  label,
  prefix,
  stages,
  err,
  onChange,
}: {
  label: string;
  prefix: string;
  stages: StageForm[];
  err: (path: string) => string | undefined;
  onChange: (stages: StageForm[]) => void;
}) {
  const me = useMe();
  const users = useUsers(me.data);
  const set = (i: number, patch: Partial<StageForm>) => onChange(stages.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <div className={layout.stack}>
      {stages.length === 0 && <p className={layout.muted}>No stages: contracts routed here need no approval.</p>}
      {stages.map((s, i) => {
        const p = `${prefix}[${i}]`;
        const name = `${label} stage ${i + 1}`;
        return (
          <fieldset key={i} className={styles.stage}>
            <legend>{name}</legend>
            <div className={layout.formGrid}>
              <Field label={`${name} name`} error={err(`${p}.name`)}>
                {(c) => <input {...c} value={s.name} onChange={(e) => set(i, { name: e.target.value })} />}
              </Field>
              <Field label={`${name} mode`} error={err(`${p}.mode`)}>
                {(c) => (
                  <select {...c} value={s.mode} onChange={(e) => set(i, { mode: e.target.value as StageForm['mode'] })}>
                    <option value="any">Any one approver</option>
                    <option value="all">Every approver</option>
                  </select>
                )}
              </Field>
              <Field label={`${name} SLA in days`} error={err(`${p}.slaDays`)}>
                {(c) => <input {...c} type="number" min={0} value={s.slaDays} onChange={(e) => set(i, { slaDays: e.target.value })} />}
              </Field>
            </div>
            <fieldset className={styles.inline} aria-describedby={err(`${p}.approvers`) ? `${p}-approvers-error` : undefined}>
              <legend>{name} approver roles</legend>
              {roles.map((role) => (
                <label key={role}>
                  <input
                    type="checkbox"
                    checked={s.roles.includes(role)}
                    onChange={(e) =>
                      set(i, { roles: e.target.checked ? [...s.roles, role] : s.roles.filter((x: Role) => x !== role) })
                    }
                  />{' '}
                  {role}
                </label>
              ))}
            </fieldset>
            {(users.data?.items.length ?? 0) > 0 && (
              <Field label={`${name} approvers by name`} hint="Ctrl/Cmd-click to choose several" error={err(`${p}.userIds`)}>
                {(c) => (
                  <select
                    {...c}
                    multiple
                    value={s.userIds}
                    onChange={(e) => set(i, { userIds: Array.from(e.target.selectedOptions, (o) => o.value) })}
                  >
                    {users.data!.items.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {err(`${p}.approvers`) && (
              <span id={`${p}-approvers-error`} className={styles.error}>
                {err(`${p}.approvers`)}
              </span>
            )}
            <div className={layout.actions}>
              <Button small variant="danger" onClick={() => onChange(stages.filter((_, j) => j !== i))}>
                Remove {name.toLowerCase()}
              </Button>
            </div>
          </fieldset>
        );
      })}
      <div>
        <Button small onClick={() => onChange([...stages, newStage()])}>
          Add stage to {label.toLowerCase()}
        </Button>
      </div>
    </div>
  );
}
