// SPDX-License-Identifier: AGPL-3.0-or-later
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Renewal } from '../api/models';
import { queryKeys } from '../api/queryKeys';
import { useMe } from '../app/useSessionData';
import { StatusBadge } from '../contracts/StatusBadge';
import { useFormat } from '../format/useFormat';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { Badge, EmptyState, ErrorState } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { eventsByDate, monthGrid, shiftMonth, type CalendarEvent } from './calendar';
import { RenewDialog, TerminateDialog } from './RenewalDialogs';
import layout from '../ui/layout.module.css';
import styles from './Renewals.module.css';

const windows = [30, 60, 90, 180, 365, 730];

export function useRenewals(within: number) {
  return useQuery({
    queryKey: queryKeys.renewals(within),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/renewals', { params: { query: { within: String(within), limit: '200' } }, signal })),
  });
}

export function RenewalsPage() {
  const [search, setSearch] = useSearchParams();
  const within = windows.includes(Number(search.get('within'))) ? Number(search.get('within')) : 90;
  const view = search.get('view') === 'calendar' ? 'calendar' : 'list';
  const renewals = useRenewals(within);
  const me = useMe();
  const [dialog, setDialog] = useState<{ kind: 'renew' | 'terminate'; contractId: string } | null>(null);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    next.set(key, value);
    setSearch(next, { replace: true });
  };
  const writer = me.data !== undefined && me.data.role !== 'viewer';

  return (
    <div className={layout.stack}>
      <PageHeading title="Renewals">Renewals</PageHeading>
      <p className={layout.muted}>
        Contracts in force whose notice deadline or expiration falls in the window. The notice deadline
        is the last day to give notice without renewing: the expiration minus the notice period.
      </p>
      <div className={layout.row}>
        <Field label="Within">
          {(c) => (
            <select {...c} value={within} onChange={(e) => set('within', e.target.value)}>
              {windows.map((w) => (
                <option key={w} value={w}>
                  {w} days
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className={layout.actions} role="group" aria-label="View">
          <Button aria-pressed={view === 'list'} onClick={() => set('view', 'list')}>
            List
          </Button>
          <Button aria-pressed={view === 'calendar'} onClick={() => set('view', 'calendar')}>
            Calendar
          </Button>
        </div>
      </div>
      {renewals.isPending ? (
        <Loading what="renewals" />
      ) : renewals.isError ? (
        <ErrorState error={renewals.error} onRetry={() => void renewals.refetch()} />
      ) : renewals.data.items.length === 0 ? (
        <EmptyState title={`Nothing due in the next ${within} days`}>Choose a longer window to look further.</EmptyState>
      ) : view === 'calendar' ? (
        <RenewalCalendar items={renewals.data.items} today={renewals.data.today} />
      ) : (
        <RenewalTable
          items={renewals.data.items}
          writer={writer}
          onRenew={(id) => setDialog({ kind: 'renew', contractId: id })}
          onTerminate={(id) => setDialog({ kind: 'terminate', contractId: id })}
        />
      )}
      {dialog && (
        <>
          <RenewDialog
            contractId={dialog.contractId}
            open={dialog.kind === 'renew'}
            onOpenChange={(open) => !open && setDialog(null)}
          />
          <TerminateDialog
            contractId={dialog.contractId}
            open={dialog.kind === 'terminate'}
            onOpenChange={(open) => !open && setDialog(null)}
          />
        </>
      )}
    </div>
  );
}

export function RenewalTable({
  items,
  writer,
  onRenew,
  onTerminate,
}: {
  items: Renewal[];
  writer: boolean;
  onRenew?: (contractId: string) => void;
  onTerminate?: (contractId: string) => void;
}) {
  const format = useFormat();
  return (
    <Table aria-label="Renewals">
      <thead>
        <tr>
          <Th>Contract</Th>
          <Th>Status</Th>
          <Th>Next</Th>
          <Th>Notice deadline</Th>
          <Th>Expires</Th>
          <Th>Renews</Th>
          <Th numeric>Value</Th>
          {writer && onRenew && (
            <Th>
              <span className="visually-hidden">Actions</span>
            </Th>
          )}
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.contractId}>
            <Td>
              <Link to={`/contracts/${r.contractId}`}>{r.title}</Link>
            </Td>
            <Td>
              <StatusBadge status={r.status} />
            </Td>
            <Td>
              {r.nextEvent === 'notice_deadline' ? (
                <Badge tone={(r.daysToNoticeDeadline ?? 99) <= 7 ? 'danger' : 'warning'}>
                  Notice in {r.daysToNoticeDeadline} days
                </Badge>
              ) : (
                <Badge tone="info">Expires in {r.daysToExpiry} days</Badge>
              )}
              {r.terminationEffectiveDate && ` · terminates ${format.date(r.terminationEffectiveDate)}`}
            </Td>
            <Td>{format.date(r.noticeDeadline)}</Td>
            <Td>{format.date(r.expirationDate)}</Td>
            <Td>{r.autoRenew ? 'Automatically' : 'No'}</Td>
            <Td numeric>{format.money(r.value)}</Td>
            {writer && onRenew && onTerminate && (
              <Td>
                <span className={layout.row}>
                  <Button small onClick={() => onRenew(r.contractId)} aria-label={`Renew ${r.title}`}>
                    Renew
                  </Button>
                  {!r.terminationEffectiveDate && (
                    <Button small onClick={() => onTerminate(r.contractId)} aria-label={`Terminate ${r.title}`}>
                      Terminate
                    </Button>
                  )}
                </span>
              </Td>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function RenewalCalendar({ items, today }: { items: Renewal[]; today: string }) {
  const format = useFormat();
  const [y, m] = today.split('-').map(Number) as [number, number];
  const [month, setMonth] = useState({ year: y, month: m });
  const events = useMemo(() => {
    const list: CalendarEvent[] = [];
    for (const r of items) {
      if (r.noticeDeadline) list.push({ date: r.noticeDeadline, kind: 'notice_deadline', contractId: r.contractId, title: r.title });
      list.push({ date: r.expirationDate, kind: 'expiration', contractId: r.contractId, title: r.title });
    }
    return eventsByDate(list);
  }, [items]);
  const caption = new Intl.DateTimeFormat(format.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(month.year, month.month - 1, 1)),
  );
  return (
    <div className={layout.stack}>
      <div className={layout.row}>
        <Button small onClick={() => setMonth(shiftMonth(month.year, month.month, -1))} aria-label="Previous month">
          ←
        </Button>
        <h2 aria-live="polite" className={styles.month}>
          {caption}
        </h2>
        <Button small onClick={() => setMonth(shiftMonth(month.year, month.month, 1))} aria-label="Next month">
          →
        </Button>
        <span className={layout.muted}>
          <span className={`${styles.dot} ${styles.notice}`} /> notice deadline{' '}
          <span className={`${styles.dot} ${styles.expiry}`} /> expiration
        </span>
      </div>
      <table className={styles.calendar} aria-label={`Renewals calendar, ${caption}`}>
        <thead>
          <tr>
            {weekdays.map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthGrid(month.year, month.month).map((week, i) => (
            <tr key={i}>
              {week.map((date, j) => (
                <td key={j} data-today={date === today || undefined}>
                  {date && (
                    <>
                      <span className={styles.day}>{Number(date.slice(8))}</span>
                      <ul>
                        {(events.get(date) ?? []).map((e) => (
                          <li key={`${e.kind}-${e.contractId}`} className={e.kind === 'notice_deadline' ? styles.notice : styles.expiry}>
                            <Link to={`/contracts/${e.contractId}`}>
                              <span className="visually-hidden">
                                {e.kind === 'notice_deadline' ? 'Notice deadline: ' : 'Expires: '}
                              </span>
                              {e.title}
                            </Link>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
