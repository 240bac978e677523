// SPDX-License-Identifier: AGPL-3.0-or-later
import styles from './ui.module.css';

/** A spinner; give it a label unless text next to it already says what is loading. */
export function Spinner({ label = 'Loading' }: { label?: string }) {
  return label ? (
    <span role="status" aria-label={label} className={styles.spinner} />
  ) : (
    <span aria-hidden="true" className={styles.spinner} />
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <div className={styles.loading} role="status">
      <span aria-hidden="true" className={styles.spinner} />
      Loading {what}…
    </div>
  );
}

/** A grey bar standing in for text that is still loading. */
export function Skeleton({ width = '60%' }: { width?: string }) {
  return <span aria-hidden="true" className={styles.skeleton} style={{ width }} />;
}
