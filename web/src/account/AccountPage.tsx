// SPDX-License-Identifier: AGPL-3.0-or-later
// The signed-in person's own account: who they are, their password, and "sign out
// everywhere" for a lost or shared device. Delegations and notification preferences live on
// the approvals and notifications pages, where people look for them.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { isProblem } from '../api/problem';
import { signOut, signOutEverywhere } from '../api/session';
import { useMe } from '../app/useSessionData';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Field } from '../ui/Field';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { ErrorState } from '../ui/States';
import layout from '../ui/layout.module.css';

/** What the sign-in page shows after the account ended its own sessions. */
export interface SignInNotice {
  notice: string;
}

export function AccountPage() {
  const me = useMe();
  return (
    <div className={layout.stack}>
      <PageHeading title="My account">My account</PageHeading>
      {me.isPending ? (
        <Loading what="your account" />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <section className={layout.card} aria-labelledby="profile">
          <h2 id="profile">Profile</h2>
          <dl className={layout.details}>
            <dt>Name</dt>
            <dd>{me.data.name}</dd>
            <dt>Email</dt>
            <dd>{me.data.email}</dd>
            <dt>Role</dt>
            <dd>{me.data.role}</dd>
            <dt>Organization</dt>
            <dd>{me.data.organization.name}</dd>
          </dl>
          <p className={layout.muted}>An administrator changes names and roles (Admin → Users).</p>
        </section>
      )}
      <PasswordForm />
      <SessionsSection />
    </div>
  );
}

function PasswordForm() {
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/me/password', { body: { currentPassword: current, newPassword: next } })),
  });
  const fieldError = (field: string) =>
    isProblem(change.error, 400) ? change.error.errors.find((e) => e.field === field)?.message : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(next !== repeat);
    if (next !== repeat) return;
    try {
      await change.mutateAsync();
    } catch {
      return; // shown in the form
    }
    // The server ended every session of the account, this one too: sign in with the new one.
    await signOut();
    const state: SignInNotice = { notice: 'Your password was changed and every session ended. Sign in with the new password.' };
    navigate('/sign-in', { replace: true, state });
  }

  return (
    <form className={layout.card} aria-labelledby="password" noValidate onSubmit={submit}>
      <h2 id="password">Password</h2>
      <p className={layout.muted}>Changing it signs you out on every device.</p>
      <div className={layout.formGrid}>
        <Field label="Current password" error={fieldError('currentPassword')}>
          {(c) => (
            <input {...c} type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
          )}
        </Field>
        <Field label="New password" hint="At least 12 characters." error={fieldError('newPassword')}>
          {(c) => (
            <input {...c} type="password" autoComplete="new-password" required minLength={12} value={next} onChange={(e) => setNext(e.target.value)} />
          )}
        </Field>
        <Field label="Repeat the new password" error={mismatch ? 'does not match the new password' : undefined}>
          {(c) => (
            <input {...c} type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
          )}
        </Field>
      </div>
      {change.isError && !isProblem(change.error, 400) && <ErrorState error={change.error} />}
      <div className={layout.actions}>
        <Button type="submit" variant="primary" busy={change.isPending}>
          Change password
        </Button>
      </div>
    </form>
  );
}

function SessionsSection() {
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  return (
    <section className={layout.card} aria-labelledby="sessions">
      <h2 id="sessions">Sessions</h2>
      <p className={layout.muted}>
        Lost a laptop or signed in on a shared computer? End every session of your account on every device, this one
        included.
      </p>
      <div className={layout.actions}>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Sign out everywhere
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Sign out everywhere?"
        description="Every device signed in to your account, this one included, has to sign in again."
        confirmLabel="Sign out everywhere"
        danger
        onConfirm={async () => {
          await signOutEverywhere(); // its problem stays in the dialog
          const state: SignInNotice = { notice: 'You were signed out on every device.' };
          navigate('/sign-in', { replace: true, state });
        }}
      />
    </section>
  );
}
