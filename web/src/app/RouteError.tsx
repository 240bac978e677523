// SPDX-License-Identifier: AGPL-3.0-or-later
import { useRouteError } from 'react-router';
import { ErrorState } from '../ui/States';

/** Shown when a screen fails to load or render (e.g. a chunk after a deploy). */
export function RouteError() {
  const error = useRouteError();
  return (
    <main style={{ padding: 24 }}>
      <h1>This page could not be shown</h1>
      <ErrorState error={error} onRetry={() => location.reload()} />
    </main>
  );
}
