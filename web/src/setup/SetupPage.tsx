// SPDX-License-Identifier: AGPL-3.0-or-later
// First run: the one-time link `serve` prints when the database has no user creates the
// organization and its first admin, then signs them in.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { SetupInput, SetupResult } from '../api/models';
import { api, unwrap } from '../api/client';
import { isProblem } from '../api/problem';
import { signIn } from '../api/session';
import { timeZones } from '../admin/OrganizationSection';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { PageHeading } from '../ui/PageHeading';
import { ErrorState } from '../ui/States';
import styles from '../auth/SignInPage.module.css';

const postSetup = (body: SetupInput): Promise<SetupResult> => unwrap(api.POST('/api/v1/setup', { body }));

const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

export function SetupPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [v, setV] = useState({ organization: '', timeZone: browserZone(), name: '', email: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const zones = timeZones();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!v.organization.trim()) next.organization = 'Enter the organization’s name';
    if (!v.name.trim()) next.name = 'Enter your name';
    if (!/^[^\s@]+@[^\s@]+$/.test(v.email.trim())) next.email = 'Enter an e-mail address';
    if (v.password.length < 12) next.password = 'At least 12 characters';
    if (v.confirm !== v.password) next.confirm = 'The passwords differ';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await postSetup({
        token,
        organization: { name: v.organization.trim(), timeZone: v.timeZone },
        admin: { email: v.email.trim(), name: v.name.trim(), password: v.password },
      });
      await signIn(v.email.trim(), v.password);
      navigate('/', { replace: true });
    } catch (e) {
      if (isProblem(e, 400)) {
        const server: Record<string, string> = {};
        for (const fe of e.errors) {
          const key = { 'organization.name': 'organization', 'organization.timeZone': 'timeZone', 'admin.name': 'name', 'admin.email': 'email', 'admin.password': 'password' }[fe.field];
          if (key) server[key] = fe.message;
        }
        setErrors(server);
      }
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (!token)
    return (
      <main className={styles.page}>
        <div className={styles.card}>
          <PageHeading title="Set up">This setup link is not valid</PageHeading>
          <p>
            Open the link the server printed when it started (or run <code>contractmgmt setup-url</code>).
          </p>
          <Link to="/sign-in">Sign in instead</Link>
        </div>
      </main>
    );

  const field = (name: keyof typeof v, label: string, type = 'text', autoComplete?: string, hint?: string) => (
    <Field label={label} error={errors[name]} {...(hint ? { hint } : {})}>
      {(c) => (
        <input
          {...c}
          type={type}
          autoComplete={autoComplete}
          value={v[name]}
          onChange={(e) => setV({ ...v, [name]: e.target.value })}
        />
      )}
    </Field>
  );

  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={submit} noValidate aria-label="Set up contractmgmt">
        <PageHeading title="Set up">Set up contractmgmt</PageHeading>
        <p className={styles.notice}>Create your organization and its first administrator.</p>
        {field('organization', 'Organization name', 'text', 'organization')}
        <Field label="Time zone" hint="Deadlines and expirations are dates of this zone">
          {(c) => (
            <select {...c} value={v.timeZone} onChange={(e) => setV({ ...v, timeZone: e.target.value })}>
              {!zones.includes(v.timeZone) && <option>{v.timeZone}</option>}
              {zones.map((z) => (
                <option key={z}>{z}</option>
              ))}
            </select>
          )}
        </Field>
        {field('name', 'Your name', 'text', 'name')}
        {field('email', 'Email', 'email', 'username')}
        {field('password', 'Password', 'password', 'new-password', 'At least 12 characters')}
        {field('confirm', 'Repeat the password', 'password', 'new-password')}
        {error !== undefined &&
          (isProblem(error, 404) ? (
            <div role="alert" className={styles.notice}>
              <strong>This setup link is not valid.</strong> Use the link the server printed most recently.
            </div>
          ) : isProblem(error, 409) ? (
            <div role="alert" className={styles.notice}>
              <strong>contractmgmt is already set up.</strong> <Link to="/sign-in">Sign in</Link>
            </div>
          ) : isProblem(error, 400) && Object.keys(errors).length > 0 ? null : (
            <ErrorState error={error} />
          ))}
        <Button type="submit" variant="primary" busy={busy}>
          Create organization
        </Button>
      </form>
    </main>
  );
}
