// SPDX-License-Identifier: AGPL-3.0-or-later
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import type { Contract } from '../api/models';
import type { SortField } from './contractListUrl';
import { StatusBadge } from './StatusBadge';

export interface ColumnMeta {
  label: string;
  sortField?: SortField;
  numeric?: boolean;
  width: number;
}

export interface ColumnContext {
  counterpartyName: (id: string) => string | undefined;
  userName: (id: string) => string;
  money: (value: Contract['value']) => string;
  date: (value: string | null) => string;
  instant: (value: string | null) => string;
}

const column = createColumnHelper<Contract>();

// Columns of different value types only fit one array as ColumnDef<Contract, any> (TanStack's
// documented idiom); each accessor above is still checked against Contract.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContractColumn = ColumnDef<Contract, any>;

export function contractColumns(ctx: ColumnContext): AnyContractColumn[] {
  const columns = [
    column.accessor('title', {
      header: 'Title',
      cell: (info) => <Link to={`/contracts/${info.row.original.id}`}>{info.getValue()}</Link>,
      meta: { label: 'Title', sortField: 'title', width: 250 },
      enableHiding: false,
    }),
    column.accessor('status', {
      header: 'Status',
      cell: (info) => <StatusBadge status={info.getValue()} />,
      meta: { label: 'Status', width: 110 },
    }),
    column.accessor('type', { header: 'Type', meta: { label: 'Type', width: 100 } }),
    column.display({
      id: 'counterparty',
      header: 'Counterparty',
      cell: (info) => {
        const parties = info.row.original.parties;
        const first = parties[0];
        if (!first) return '—';
        const name = ctx.counterpartyName(first.counterpartyId) ?? 'Unknown counterparty';
        return parties.length > 1 ? `${name} +${parties.length - 1}` : name;
      },
      meta: { label: 'Counterparty', width: 170 },
    }),
    column.accessor('ownerId', {
      header: 'Owner',
      cell: (info) => ctx.userName(info.getValue()),
      meta: { label: 'Owner', width: 130 },
    }),
    column.accessor('value', {
      header: 'Value',
      cell: (info) => ctx.money(info.getValue()),
      meta: { label: 'Value', sortField: 'value', numeric: true, width: 130 },
    }),
    column.accessor('effectiveDate', {
      header: 'Effective',
      cell: (info) => ctx.date(info.getValue()),
      meta: { label: 'Effective', sortField: 'effectiveDate', width: 130 },
    }),
    column.accessor('expirationDate', {
      header: 'Expires',
      cell: (info) => ctx.date(info.getValue()),
      meta: { label: 'Expires', sortField: 'expirationDate', width: 120 },
    }),
    column.accessor('daysToExpiry', {
      header: 'Days left',
      cell: (info) => info.getValue() ?? '—',
      meta: { label: 'Days left', numeric: true, width: 100 },
    }),
    column.accessor('tags', {
      header: 'Tags',
      cell: (info) => info.getValue().join(', ') || '—',
      meta: { label: 'Tags', width: 160 },
    }),
    column.accessor('updatedAt', {
      header: 'Updated',
      cell: (info) => ctx.instant(info.getValue()),
      meta: { label: 'Updated', sortField: 'updatedAt', width: 180 },
    }),
    column.accessor('createdAt', {
      header: 'Created',
      cell: (info) => ctx.instant(info.getValue()),
      meta: { label: 'Created', sortField: 'createdAt', width: 180 },
    }),
  ];
  return columns as AnyContractColumn[];
}

/** Shown until the user chooses otherwise: the default columns fit a 1280 px screen. */
export const defaultHiddenColumns = ['effectiveDate', 'tags', 'updatedAt', 'createdAt', 'daysToExpiry'];

const STORAGE_KEY = 'cm.contracts.hiddenColumns';

/** Column choice is a personal display preference, so it lives in this browser, not the URL. */
export function loadHiddenColumns(): string[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) return parsed;
  } catch {
    // Storage may be disabled or hold garbage: fall back to the defaults.
  }
  return defaultHiddenColumns;
}

export function saveHiddenColumns(hidden: string[]) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(hidden));
  } catch {
    // Not persisting a preference is harmless.
  }
}

/** Every column id, in display order (saved views store the visible ones). */
export const allColumnIds = [
  'title',
  'status',
  'type',
  'counterparty',
  'ownerId',
  'value',
  'effectiveDate',
  'expirationDate',
  'daysToExpiry',
  'tags',
  'updatedAt',
  'createdAt',
] as const;
