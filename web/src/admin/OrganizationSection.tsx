// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState } from 'react';
import type { Organization } from '../api/models';
import { isProblem } from '../api/problem';
import { useOrganization } from '../app/useSessionData';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { ErrorState } from '../ui/States';
import { useToast } from '../ui/Toast';
import { useUpdateOrganization } from './adminApi';
import layout from '../ui/layout.module.css';

export const timeZones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
};

export function OrganizationSection() {
  const organization = useOrganization();
  if (organization.isPending) return <Loading what="the organization" />;
  if (organization.isError) return <ErrorState error={organization.error} />;
  return <OrganizationForm organization={organization.data} />;
}

function OrganizationForm({ organization }: { organization: Organization }) {
  const [types, setTypes] = useState(organization.contractTypes.join(', '));
  const [timeZone, setTimeZone] = useState(organization.timeZone);
  const [days, setDays] = useState(organization.renewalReminderDays.join(', '));
  const save = useUpdateOrganization();
  const toast = useToast();
  const error = (field: string) =>
    isProblem(save.error, 400) ? save.error.errors.find((e) => e.field.startsWith(field))?.message : undefined;
  const zones = timeZones();

  return (
    <form
      className={`${layout.card} ${layout.form}`}
      aria-label="Organization settings"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await save.mutateAsync({
            contractTypes: types.split(',').map((t) => t.trim()).filter(Boolean),
            timeZone,
            renewalReminderDays: days.split(',').map((d) => Number(d.trim())).filter((d) => !Number.isNaN(d) && d !== 0),
          });
          toast({ title: 'Settings saved', tone: 'success' });
        } catch {
          // shown below
        }
      }}
    >
      <h2>{organization.name}</h2>
      <Field label="Contract types" hint="Comma-separated, e.g. msa, nda, sow" error={error('contractTypes')}>
        {(c) => <input {...c} value={types} onChange={(e) => setTypes(e.target.value)} />}
      </Field>
      <Field label="Time zone" hint="Deadlines, expirations and reminders are dates of this zone" error={error('timeZone')}>
        {(c) => (
          <select {...c} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
            {!zones.includes(timeZone) && <option value={timeZone}>{timeZone}</option>}
            {zones.map((z) => (
              <option key={z}>{z}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Renewal reminder days" hint="Days before a notice deadline, e.g. 90, 60, 30, 7" error={error('renewalReminderDays')}>
        {(c) => <input {...c} value={days} onChange={(e) => setDays(e.target.value)} />}
      </Field>
      {save.isError && !isProblem(save.error, 400) && <ErrorState error={save.error} />}
      <div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save settings
        </Button>
      </div>
    </form>
  );
}
