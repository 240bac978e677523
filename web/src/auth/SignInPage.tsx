// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import type { SignInNotice } from '../account/AccountPage';
import { signIn } from '../api/session';
import { ApiProblem, isProblem } from '../api/problem';
import { safeNext, useSession } from '../app/RequireAuth';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { ErrorState } from '../ui/States';
import { PageHeading } from '../ui/PageHeading';
import styles from './SignInPage.module.css';

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const session = useSession();
  const notice = (useLocation().state as Partial<SignInNotice> | null)?.notice;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  if (session.status === 'signedIn' && !busy) return <Navigate to={next} replace />;

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email, password);
      navigate(next, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={handleSubmit} noValidate>
        <PageHeading title="Sign in">Sign in to contractmgmt</PageHeading>
        {notice && !error && (
          <p className={styles.notice} role="status">
            {notice}
          </p>
        )}
        {params.has('next') && !error && (
          <p className={styles.notice}>
            {session.status === 'signedOut' && session.reason === 'expired'
              ? 'Your session has ended. Sign in to continue.'
              : 'Sign in to continue.'}
          </p>
        )}
        <Field label="Email">
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password">
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        {error !== undefined &&
          (isProblem(error, 401) ? (
            // The server's title ("Authentication required") reads oddly after a failed try.
            <ErrorState error={new ApiProblem(401, { title: 'Sign-in failed', detail: error.detail })} />
          ) : (
            <ErrorState error={error} />
          ))}
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
      </form>
    </main>
  );
}
