// SPDX-License-Identifier: AGPL-3.0-or-later
// The contracts list's filters and sort ⇄ the page URL ⇄ the API query. Pure functions, so
// a shared link, the back button and the request always agree. URL parameters use the API's
// own names, so a link reads like the request it makes.
import { contractStatuses, type ContractStatus } from '../api/models';

export const sortFields = [
  'createdAt',
  'updatedAt',
  'title',
  'effectiveDate',
  'expirationDate',
  'value',
] as const;
export type SortField = (typeof sortFields)[number];

export interface ContractSort {
  field: SortField;
  descending: boolean;
}

export interface ContractListFilters {
  status: ContractStatus[];
  type?: string;
  counterpartyId?: string;
  ownerId?: string;
  tag?: string;
  q?: string;
  expiringBefore?: string;
  expiringAfter?: string;
  currency?: string;
  minValue?: string;
  maxValue?: string;
  sort: ContractSort;
}

/** The server's default order: newest first. */
export const defaultSort: ContractSort = { field: 'createdAt', descending: true };
export const emptyFilters: ContractListFilters = { status: [], sort: defaultSort };

/** Query parameters of GET /api/v1/contracts, without `limit` and `cursor`. */
export type ContractListQuery = Partial<Record<ApiParam, string>>;
type ApiParam =
  | 'status'
  | 'type'
  | 'counterpartyId'
  | 'ownerId'
  | 'tag'
  | 'q'
  | 'expiringBefore'
  | 'expiringAfter'
  | 'currency'
  | 'minValue'
  | 'maxValue'
  | 'sort';

const textParams = ['type', 'counterpartyId', 'ownerId', 'tag', 'q'] as const;
const dateParams = ['expiringBefore', 'expiringAfter'] as const;
const amountParams = ['minValue', 'maxValue'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;

export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

export function parseSort(raw: string | null): ContractSort {
  if (!raw) return defaultSort;
  const descending = raw.startsWith('-');
  const field = descending ? raw.slice(1) : raw;
  return (sortFields as readonly string[]).includes(field)
    ? { field: field as SortField, descending }
    : defaultSort;
}

export const formatSort = (sort: ContractSort): string =>
  `${sort.descending ? '-' : ''}${sort.field}`;

/**
 * Reads the filters from the URL. What the server would reject (an unknown status, a date
 * that does not exist, an amount without a currency) is dropped rather than shown as an error:
 * a mistyped link still opens a working list.
 */
export function filtersFromSearch(params: URLSearchParams): ContractListFilters {
  const filters: ContractListFilters = { status: [], sort: defaultSort };
  const wanted = new Set((params.get('status') ?? '').split(',').map((s) => s.trim()));
  filters.status = contractStatuses.filter((s) => wanted.has(s));

  for (const key of textParams) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  for (const key of dateParams) {
    const value = params.get(key);
    if (value && isCalendarDate(value)) filters[key] = value;
  }
  const currency = params.get('currency')?.toUpperCase();
  if (currency && CURRENCY.test(currency)) {
    filters.currency = currency;
    for (const key of amountParams) {
      const value = params.get(key)?.trim();
      if (value && AMOUNT.test(value)) filters[key] = value;
    }
  }
  const sort = parseSort(params.get('sort'));
  // Amounts in different currencies do not compare: value order needs a currency filter.
  filters.sort = sort.field === 'value' && !filters.currency ? defaultSort : sort;
  return filters;
}

/** The API query for these filters; also the list's cache key. */
export function toApiQuery(filters: ContractListFilters): ContractListQuery {
  const query: ContractListQuery = {};
  if (filters.status.length > 0) query.status = filters.status.join(',');
  for (const key of [...textParams, ...dateParams, 'currency', ...amountParams] as const) {
    const value = filters[key];
    if (value) query[key] = value;
  }
  if (filters.sort.field !== defaultSort.field || filters.sort.descending !== defaultSort.descending)
    query.sort = formatSort(filters.sort);
  return query;
}

/** The URL for these filters: the same parameters as the API, defaults left out. */
export function filtersToSearch(filters: ContractListFilters): URLSearchParams {
  return new URLSearchParams(toApiQuery(filters));
}

/** How many filters narrow the list (sort excluded), for the "Clear filters" button. */
export function activeFilterCount(filters: ContractListFilters): number {
  const query = toApiQuery(filters);
  return Object.keys(query).filter((k) => k !== 'sort').length;
}

/** Clicking a column header: ascending first (newest-first for dates), then the reverse. */
export function nextSort(current: ContractSort, field: SortField): ContractSort {
  if (current.field === field) return { field, descending: !current.descending };
  const datesNewestFirst = field === 'createdAt' || field === 'updatedAt';
  return { field, descending: datesNewestFirst };
}
