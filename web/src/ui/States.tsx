// SPDX-License-Identifier: AGPL-3.0-or-later
import type { ReactNode } from 'react';
import { ApiProblem } from '../api/problem';
import styles from './ui.module.css';
import { Button } from './Button';

/** Shows a failed request: the problem's `title` and `detail`, as the server phrased them. */
export function ErrorState({
  error,
  onRetry,
  action,
}: {
  error: unknown;
  onRetry?: () => void;
  action?: ReactNode;
}) {
  const title = error instanceof ApiProblem ? error.title : 'Something went wrong';
  const detail =
    error instanceof ApiProblem
      ? error.detail
      : error instanceof Error
        ? error.message
        : undefined;
  return (
    <div role="alert" className={`${styles.state} ${styles.errorState}`}>
      <span className={styles.stateTitle}>{title}</span>
      {detail && <p className={styles.stateDetail}>{detail}</p>}
      {error instanceof ApiProblem &&
        error.errors.map((e) => (
          <p key={e.field} className={styles.stateDetail}>
            {e.field}: {e.message}
          </p>
        ))}
      {(onRetry || action) && (
        <div>
          {onRetry && <Button onClick={onRetry}>Try again</Button>}
          {action}
        </div>
      )}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className={styles.state}>
      <span className={styles.stateTitle}>{title}</span>
      {children && <p className={styles.stateDetail}>{children}</p>}
      {action}
    </div>
  );
}

export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return (
    <span className={styles.badge} data-tone={tone}>
      {children}
    </span>
  );
}
