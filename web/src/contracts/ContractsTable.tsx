// SPDX-License-Identifier: AGPL-3.0-or-later
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type VisibilityState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Contract } from '../api/models';
import { SortableTh, Table, Td, Th } from '../ui/Table';
import { Skeleton } from '../ui/Spinner';
import { CheckboxMenu } from './CheckboxMenu';
import {
  contractColumns,
  loadHiddenColumns,
  saveHiddenColumns,
  type ColumnContext,
  type ColumnMeta,
} from './contractColumns';
import type { ContractSort, SortField } from './contractListUrl';
import styles from './ContractsPage.module.css';

const ROW_HEIGHT = 40;
/** Start loading the next page this many rows before the end, so scrolling rarely waits. */
const PREFETCH_ROWS = 40;

export interface ContractsTableProps {
  contracts: Contract[];
  sort: ContractSort;
  onSort: (field: SortField) => void;
  /** Value order needs a currency filter; undefined when value can be sorted. */
  valueSortBlocked: string | undefined;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  context: ColumnContext;
  /** Hidden column ids, owned by the page (saved views set them). */
  hidden: string[];
  onHiddenChange: (update: (current: string[]) => string[]) => void;
}

export function useColumnVisibility() {
  const [hidden, setHidden] = useState<string[]>(loadHiddenColumns);
  useEffect(() => saveHiddenColumns(hidden), [hidden]);
  return { hidden, setHidden };
}

/**
 * The contracts grid: a real <table> whose body renders only the rows in view (plus
 * overscan), padded above and below, so 10,000 loaded rows scroll like 50.
 */
export function ContractsTable({
  contracts,
  sort,
  onSort,
  valueSortBlocked,
  hasMore,
  loadingMore,
  onLoadMore,
  context,
  hidden,
  onHiddenChange: setHidden,
}: ContractsTableProps) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const columns = useMemo(() => contractColumns(context), [context]);
  const visibility: VisibilityState = Object.fromEntries(hidden.map((id) => [id, false]));
  const table = useReactTable({
    data: contracts,
    columns,
    state: { columnVisibility: visibility },
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    getRowId: (row) => row.id,
  });
  const rows = table.getRowModel().rows;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastIndex = virtualRows.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onLoadMore]);

  const paddingTop = virtualRows[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (virtualRows.at(-1)?.end ?? 0);
  const visibleColumns = table.getVisibleLeafColumns();
  const hideable = table.getAllLeafColumns().filter((c) => c.getCanHide());

  return (
    <>
      <div className={styles.toolbar}>
        <span role="status">
          {contracts.length.toLocaleString()} contracts shown{hasMore ? ', more available' : ''}
        </span>
        <CheckboxMenu
          label="Columns"
          buttonText="Columns"
          options={hideable.map((c) => ({
            value: c.id,
            label: (c.columnDef.meta as ColumnMeta).label,
          }))}
          selected={new Set(hideable.filter((c) => !hidden.includes(c.id)).map((c) => c.id))}
          onToggle={(id, checked) =>
            setHidden((current) =>
              checked ? current.filter((h) => h !== id) : [...new Set([...current, id])],
            )
          }
        />
      </div>
      <div ref={scrollerRef} className={styles.scroller} tabIndex={-1}>
        <Table aria-label="Contracts" aria-rowcount={hasMore ? -1 : rows.length + 1}>
          <colgroup>
            {visibleColumns.map((c) => (
              <col key={c.id} style={{ width: (c.columnDef.meta as ColumnMeta).width }} />
            ))}
          </colgroup>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} aria-rowindex={1}>
                {group.headers.map((header) => {
                  const meta = header.column.columnDef.meta as ColumnMeta;
                  const content = flexRender(header.column.columnDef.header, header.getContext());
                  if (!meta.sortField) return <Th key={header.id} numeric={meta.numeric ?? false}>{content}</Th>;
                  const field = meta.sortField;
                  const direction =
                    sort.field === field ? (sort.descending ? 'descending' : 'ascending') : 'none';
                  return (
                    <SortableTh
                      key={header.id}
                      numeric={meta.numeric ?? false}
                      direction={direction}
                      onSort={() => onSort(field)}
                      disabledReason={field === 'value' ? valueSortBlocked : undefined}
                    >
                      {content}
                    </SortableTh>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {paddingTop > 0 && (
              <tr aria-hidden="true">
                <td style={{ height: paddingTop, padding: 0, border: 0 }} colSpan={visibleColumns.length} />
              </tr>
            )}
            {virtualRows.map((virtualRow) => {
              const row = rows[virtualRow.index];
              if (!row) return null;
              return (
                <tr key={row.id} aria-rowindex={virtualRow.index + 2}>
                  {row.getVisibleCells().map((cell) => (
                    <Td
                      key={cell.id}
                      numeric={(cell.column.columnDef.meta as ColumnMeta).numeric ?? false}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </Td>
                  ))}
                </tr>
              );
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden="true">
                <td style={{ height: paddingBottom, padding: 0, border: 0 }} colSpan={visibleColumns.length} />
              </tr>
            )}
            {loadingMore &&
              [0, 1, 2].map((i) => (
                <tr key={`skeleton-${i}`} aria-hidden="true">
                  {visibleColumns.map((c) => (
                    <td key={c.id}>
                      <Skeleton />
                    </td>
                  ))}
                </tr>
              ))}
          </tbody>
        </Table>
      </div>
    </>
  );
}
