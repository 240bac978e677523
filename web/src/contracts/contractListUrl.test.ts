// SPDX-License-Identifier: AGPL-3.0-or-later
import {
  activeFilterCount,
  defaultSort,
  emptyFilters,
  filtersFromSearch,
  filtersToSearch,
  nextSort,
  toApiQuery,
  type ContractListFilters,
} from './contractListUrl';

const parse = (search: string) => filtersFromSearch(new URLSearchParams(search));

describe('contract list URL', () => {
  it('opens an unfiltered list, newest first, from a bare URL', () => {
    expect(parse('')).toEqual(emptyFilters);
    expect(filtersToSearch(emptyFilters).toString()).toBe('');
  });

  it('round-trips every filter through the URL unchanged', () => {
    const filters: ContractListFilters = {
      status: ['draft', 'active'],
      type: 'msa',
      counterpartyId: 'cp-1',
      ownerId: 'u-1',
      tag: 'priority',
      q: 'lease agreement',
      expiringBefore: '2027-01-31',
      expiringAfter: '2026-12-01',
      currency: 'EUR',
      minValue: '1000',
      maxValue: '25000.50',
      sort: { field: 'value', descending: true },
    };
    const url = filtersToSearch(filters).toString();
    expect(parse(url)).toEqual(filters);
  });

  it('sends statuses as one comma list in lifecycle order', () => {
    const filters = parse('status=expired,draft,bogus,draft');
    expect(filters.status).toEqual(['draft', 'expired']);
    expect(toApiQuery(filters)).toEqual({ status: 'draft,expired' });
  });

  it('drops what the server would reject instead of breaking a shared link', () => {
    const filters = parse(
      'expiringBefore=2026-02-30&expiringAfter=tomorrow&minValue=5&sort=-nonsense&q=%20%20',
    );
    expect(filters).toEqual(emptyFilters);
  });

  it('keeps a value range only together with a currency', () => {
    expect(parse('currency=usd&minValue=10&maxValue=abc')).toMatchObject({
      currency: 'USD',
      minValue: '10',
    });
    expect(parse('currency=usd&maxValue=abc').maxValue).toBeUndefined();
  });

  it('sorts by value only when a currency is chosen', () => {
    expect(parse('sort=value').sort).toEqual(defaultSort);
    expect(parse('sort=value&currency=EUR').sort).toEqual({ field: 'value', descending: false });
  });

  it('leaves the default sort out of the URL and the request', () => {
    expect(filtersToSearch(parse('sort=-createdAt')).toString()).toBe('');
    expect(toApiQuery(parse('sort=title'))).toEqual({ sort: 'title' });
  });

  it('counts the filters in effect, not the sort', () => {
    expect(activeFilterCount(parse('status=draft&tag=x&sort=title'))).toBe(2);
  });

  it('toggles a column between ascending and descending', () => {
    const byTitle = nextSort(defaultSort, 'title');
    expect(byTitle).toEqual({ field: 'title', descending: false });
    expect(nextSort(byTitle, 'title')).toEqual({ field: 'title', descending: true });
    expect(nextSort(byTitle, 'updatedAt')).toEqual({ field: 'updatedAt', descending: true });
  });
});
