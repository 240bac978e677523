// SPDX-License-Identifier: AGPL-3.0-or-later
import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import styles from './ui.module.css';

export function Table({ className, ...rest }: HTMLAttributes<HTMLTableElement>) {
  return <table className={[styles.table, className].filter(Boolean).join(' ')} {...rest} />;
}

export function Th({
  numeric,
  className,
  ...rest
}: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return (
    <th
      scope="col"
      className={[numeric ? styles.numeric : '', className].filter(Boolean).join(' ')}
      {...rest}
    />
  );
}

export function Td({
  numeric,
  className,
  ...rest
}: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return (
    <td
      className={[numeric ? styles.numeric : '', className].filter(Boolean).join(' ')}
      {...rest}
    />
  );
}

export type SortDirection = 'ascending' | 'descending' | 'none';

/** A column header that sorts: `aria-sort` on the header, a button inside it. */
export function SortableTh({
  direction,
  onSort,
  children,
  numeric,
  disabledReason,
}: {
  direction: SortDirection;
  onSort: () => void;
  children: ReactNode;
  numeric?: boolean;
  /** Why this column cannot be sorted now (shown as its tooltip); undefined when it can. */
  disabledReason?: string | undefined;
}) {
  const arrow = direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '';
  return (
    <Th numeric={numeric} aria-sort={direction}>
      {disabledReason ? (
        <span title={disabledReason}>{children}</span>
      ) : (
        <button type="button" className={styles.sortButton} onClick={onSort}>
          {children}
          <span aria-hidden="true">{arrow}</span>
        </button>
      )}
    </Th>
  );
}
