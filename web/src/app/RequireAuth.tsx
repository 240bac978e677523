// SPDX-License-Identifier: AGPL-3.0-or-later
import { useSyncExternalStore, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { getSession, subscribeSession } from '../api/session';
import { Loading } from '../ui/Spinner';

export const useSession = () => useSyncExternalStore(subscribeSession, getSession);

/** Where to come back to after signing in: only paths of this app, never another site. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

/** Renders its children for a signed-in user; otherwise sends to sign-in and back. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'restoring') return <Loading what="your session" />;
  if (session.status === 'signedOut') {
    const here = `${location.pathname}${location.search}`;
    const query = session.reason === 'signedOut' || here === '/' ? '' : `?next=${encodeURIComponent(here)}`;
    return <Navigate to={`/sign-in${query}`} replace />;
  }
  return children;
}
