// SPDX-License-Identifier: AGPL-3.0-or-later
import type { Comparison } from '../api/models';
import { redlineSegments } from './redline';
import styles from './Documents.module.css';

/** Renders a comparison as text with <ins> and <del>, so assistive technology names them. */
export function Redline({ comparison }: { comparison: Comparison }) {
  const segments = redlineSegments(comparison.changes);
  const { insertedWords, deletedWords, unchangedWords } = comparison.summary;
  return (
    <div className={styles.redlineWrap}>
      <p className={styles.summary}>
        Version {comparison.from} → {comparison.to}: {insertedWords} words inserted, {deletedWords} deleted,{' '}
        {unchangedWords} unchanged.
      </p>
      <div className={styles.redline} role="document" aria-label={`Changes from version ${comparison.from} to ${comparison.to}`} tabIndex={0}>
        {segments.map((s, i) =>
          s.kind === 'insert' ? (
            <ins key={i}>{s.text}</ins>
          ) : s.kind === 'delete' ? (
            <del key={i}>{s.text}</del>
          ) : s.kind === 'fold' ? (
            <span key={i} className={styles.fold}>
              {' '}[… {s.hiddenChars} unchanged characters …]{' '}
            </span>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      </div>
    </div>
  );
}
