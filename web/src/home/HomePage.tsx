// SPDX-License-Identifier: AGPL-3.0-or-later
import { Link } from 'react-router';
import { canCreateContracts, useMe } from '../app/useSessionData';
import { useMyApprovals, useObligations } from '../contracts/workflowApi';
import { addDays, todayIn } from '../format/format';
import { useFormat } from '../format/useFormat';
import { NotificationItem } from '../notifications/NotificationsPage';
import { useNotifications } from '../notifications/notificationsApi';
import { useRenewals } from '../renewals/RenewalsPage';
import { ExpiringChart, ReportTiles, StatusChart } from '../reports/ReportTiles';
import { useSummaryReport } from '../reports/reportsApi';
import { ButtonLink } from '../ui/Button';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { ErrorState } from '../ui/States';
import layout from '../ui/layout.module.css';

export function HomePage() {
  const me = useMe();
  const report = useSummaryReport();
  return (
    <div className={layout.stack}>
      <div className={layout.spread}>
        <PageHeading title="Home">Welcome{me.data ? `, ${me.data.name}` : ''}</PageHeading>
        <div className={layout.actions}>
          <ButtonLink to="/contracts">Contracts</ButtonLink>
          {canCreateContracts(me.data) && (
            <ButtonLink to="/contracts/new" variant="primary">
              New contract
            </ButtonLink>
          )}
        </div>
      </div>
      {report.isPending ? (
        <Loading what="the summary" />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <>
          <ReportTiles report={report.data} />
          <div className={layout.twoColumns}>
            <section className={layout.card} aria-labelledby="home-status">
              <h2 id="home-status">Contracts by status</h2>
              <StatusChart report={report.data} />
            </section>
            <section className={layout.card} aria-labelledby="home-expiring">
              <h2 id="home-expiring">Expiring soon</h2>
              <ExpiringChart report={report.data} />
            </section>
          </div>
        </>
      )}
      <h2>My work</h2>
      <div className={layout.twoColumns}>
        <MyApprovals />
        <MyObligations />
        <MyRenewals />
        <LatestNotifications />
      </div>
    </div>
  );
}

function Panel({ id, title, to, children }: { id: string; title: string; to: string; children: React.ReactNode }) {
  return (
    <section className={layout.card} aria-labelledby={id}>
      <div className={layout.spread}>
        <h3 id={id}>{title}</h3>
        <Link to={to}>See all<span className="visually-hidden"> {title.toLowerCase()}</span></Link>
      </div>
      {children}
    </section>
  );
}

function MyApprovals() {
  const approvals = useMyApprovals();
  return (
    <Panel id="my-approvals" title="Approvals waiting for me" to="/approvals">
      {approvals.isPending ? (
        <Loading what="approvals" />
      ) : approvals.isError ? (
        <ErrorState error={approvals.error} />
      ) : approvals.data.items.length === 0 ? (
        <p className={layout.muted}>Nothing waits for you.</p>
      ) : (
        <ul className={layout.plainList}>
          {approvals.data.items.slice(0, 5).map((a) => (
            <li key={a.id}>
              <Link to={`/contracts/${a.contractId}/approval`}>{a.contractTitle ?? 'Contract'}</Link>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function MyObligations() {
  const format = useFormat();
  const soon = addDays(todayIn(format.timeZone), 31);
  const obligations = useObligations({ assignee: 'me', status: 'open', dueBefore: soon });
  return (
    <Panel id="my-obligations" title="My obligations due in 30 days" to="/obligations">
      {obligations.isPending ? (
        <Loading what="obligations" />
      ) : obligations.isError ? (
        <ErrorState error={obligations.error} />
      ) : obligations.data.items.length === 0 ? (
        <p className={layout.muted}>Nothing due.</p>
      ) : (
        <ul className={layout.plainList}>
          {obligations.data.items.slice(0, 5).map((o) => (
            <li key={o.id} className={layout.spread}>
              <Link to={`/contracts/${o.contractId}/obligations`}>{o.title}</Link>
              <span className={layout.muted}>{format.date(o.dueDate)}{o.overdue ? ' (overdue)' : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function MyRenewals() {
  const format = useFormat();
  const renewals = useRenewals(90);
  return (
    <Panel id="my-renewals" title="Renewals and notice deadlines in 90 days" to="/renewals">
      {renewals.isPending ? (
        <Loading what="renewals" />
      ) : renewals.isError ? (
        <ErrorState error={renewals.error} />
      ) : renewals.data.items.length === 0 ? (
        <p className={layout.muted}>Nothing due.</p>
      ) : (
        <ul className={layout.plainList}>
          {renewals.data.items.slice(0, 5).map((r) => (
            <li key={r.contractId} className={layout.spread}>
              <Link to={`/contracts/${r.contractId}`}>{r.title}</Link>
              <span className={layout.muted}>
                {r.nextEvent === 'notice_deadline' ? 'notice by' : 'expires'} {format.date(r.nextDate)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function LatestNotifications() {
  const list = useNotifications(false, 5);
  const items = list.data?.pages[0]?.items ?? [];
  return (
    <Panel id="my-notifications" title="Latest notifications" to="/notifications">
      {list.isPending ? (
        <Loading what="notifications" />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : items.length === 0 ? (
        <p className={layout.muted}>No notifications.</p>
      ) : (
        <ul className={layout.plainList}>
          {items.map((n) => (
            <li key={n.id}>
              <NotificationItem notification={n} />
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
