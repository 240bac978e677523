// SPDX-License-Identifier: AGPL-3.0-or-later
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { downloadFile } from '../api/download';
import type { SavedView } from '../api/models';
import { useToast } from '../ui/Toast';
import { ViewsMenu } from '../views/ViewsMenu';
import { canCreateContracts, useMe, useOrganization } from '../app/useSessionData';
import { useCounterparties } from '../counterparties/counterpartiesApi';
import { useFormat } from '../format/useFormat';
import { useUserName, useUsers } from '../users/usersApi';
import { Button, ButtonLink } from '../ui/Button';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { EmptyState, ErrorState } from '../ui/States';
import { ContractFilters } from './ContractFilters';
import { ContractsTable, useColumnVisibility } from './ContractsTable';
import { allColumnIds } from './contractColumns';
import type { ColumnContext } from './contractColumns';
import {
  activeFilterCount,
  filtersFromSearch,
  filtersToSearch,
  nextSort,
  toApiQuery,
  type ContractListFilters,
  type SortField,
} from './contractListUrl';
import { useContractList } from './contractsApi';
import styles from './ContractsPage.module.css';

export function ContractsPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  // The URL is the single source of the filters: links share them, back restores them.
  const filters = useMemo(() => filtersFromSearch(searchParams), [searchParams]);
  const query = useMemo(() => toApiQuery(filters), [filters]);
  const list = useContractList(query);

  const me = useMe();
  const organization = useOrganization();
  const counterparties = useCounterparties();
  const users = useUsers(me.data);
  const userName = useUserName(me.data);
  const format = useFormat();

  const setFilters = useCallback(
    (next: ContractListFilters) => setSearchParams(filtersToSearch(next)),
    [setSearchParams],
  );
  const { hidden, setHidden } = useColumnVisibility();
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const queryString = filtersToSearch(filters).toString();

  const applyView = (view: SavedView) => {
    setSearchParams(filtersToSearch(filtersFromSearch(new URLSearchParams(view.query))));
    if (view.columns.length > 0) setHidden(allColumnIds.filter((id) => id !== 'title' && !view.columns.includes(id)));
    toast({ title: `View “${view.name}”`, tone: 'info' });
  };

  async function exportCsv() {
    setExporting(true);
    try {
      await downloadFile(`/api/v1/contracts/export${queryString ? `?${queryString}` : ''}`, 'contracts.csv');
    } catch (error) {
      toast({ title: 'Export failed', description: error instanceof Error ? error.message : undefined, tone: 'danger' });
    } finally {
      setExporting(false);
    }
  }

  const onSort = (field: SortField) => setFilters({ ...filters, sort: nextSort(filters.sort, field) });

  const context = useMemo<ColumnContext>(() => {
    const names = new Map((counterparties.data ?? []).map((c) => [c.id, c.name]));
    return {
      counterpartyName: (id) => names.get(id),
      userName,
      money: format.money,
      date: format.date,
      instant: format.instant,
    };
    // userName is rebuilt every render; what it reads is covered by these deps.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [counterparties.data, users.data, me.data, format]);

  const contracts = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  return (
    <div className={styles.page}>
      <div className={styles.titleRow}>
        <PageHeading title="Contracts">Contracts</PageHeading>
        <div className={styles.titleActions}>
          <ViewsMenu
            query={queryString}
            columns={allColumnIds.filter((id) => !hidden.includes(id))}
            onApply={applyView}
          />
          <Button onClick={() => void exportCsv()} busy={exporting}>
            Export CSV
          </Button>
          {canCreateContracts(me.data) && (
            <ButtonLink to="/contracts/new" variant="primary">
              New contract
            </ButtonLink>
          )}
        </div>
      </div>
      <ContractFilters
        filters={filters}
        onChange={setFilters}
        contractTypes={organization.data?.contractTypes ?? []}
        counterparties={counterparties.data ?? []}
        users={users.data?.items ?? []}
        me={me.data}
      />
      {list.isPending ? (
        <Loading what="contracts" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : contracts.length === 0 ? (
        <EmptyState
          title={activeFilterCount(filters) > 0 ? 'No contracts match these filters' : 'No contracts yet'}
        >
          {activeFilterCount(filters) > 0
            ? 'Change or clear the filters to see more.'
            : 'Contracts you create will be listed here.'}
        </EmptyState>
      ) : (
        <>
          <ContractsTable
            contracts={contracts}
            sort={filters.sort}
            onSort={onSort}
            valueSortBlocked={filters.currency ? undefined : 'Filter by a currency to sort by value'}
            hasMore={hasNextPage}
            loadingMore={isFetchingNextPage}
            onLoadMore={loadMore}
            context={context}
            hidden={hidden}
            onHiddenChange={setHidden}
          />
          {hasNextPage && (
            <div className={styles.moreRow}>
              <Button onClick={loadMore} busy={isFetchingNextPage}>
                Load more
              </Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
