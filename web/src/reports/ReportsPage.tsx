// SPDX-License-Identifier: AGPL-3.0-or-later
import { useFormat } from '../format/useFormat';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { EmptyState, ErrorState } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { ExpiringChart, ReportTiles, StatusChart, TypeChart, ValueChart } from './ReportTiles';
import { useSummaryReport } from './reportsApi';
import layout from '../ui/layout.module.css';

export function ReportsPage() {
  const report = useSummaryReport();
  const format = useFormat();
  return (
    <div className={layout.stack}>
      <PageHeading title="Reports">Reports</PageHeading>
      {report.isPending ? (
        <Loading what="the report" />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <>
          <p className={layout.muted}>
            As of {format.date(report.data.asOf)} (generated {format.instant(report.data.generatedAt)});{' '}
            {report.data.contracts.archived} archived contracts are not counted;{' '}
            {report.data.inForceWithoutValue} contracts in force have no value.
          </p>
          <ReportTiles report={report.data} />
          <div className={layout.twoColumns}>
            <section className={layout.card} aria-labelledby="by-status">
              <h2 id="by-status">By status</h2>
              <StatusChart report={report.data} />
            </section>
            <section className={layout.card} aria-labelledby="by-type">
              <h2 id="by-type">By type</h2>
              <TypeChart report={report.data} />
            </section>
            <section className={layout.card} aria-labelledby="expiring">
              <h2 id="expiring">Expiring</h2>
              <ExpiringChart report={report.data} />
            </section>
            <section className={layout.card} aria-labelledby="value">
              <h2 id="value">Value in force</h2>
              {report.data.activeValue.length === 0 ? <p>No contract in force has a value.</p> : <ValueChart report={report.data} />}
            </section>
          </div>
          <section className={layout.stack} aria-labelledby="waiting">
            <h2 id="waiting">Approvals waiting, by approver</h2>
            {report.data.approvalsWaiting.length === 0 ? (
              <EmptyState title="No approval is waiting" />
            ) : (
              <Table aria-labelledby="waiting">
                <thead>
                  <tr>
                    <Th>Approver</Th>
                    <Th>Email</Th>
                    <Th numeric>Waiting</Th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.approvalsWaiting.map((a) => (
                    <tr key={a.userId}>
                      <Td>{a.name}</Td>
                      <Td>{a.email}</Td>
                      <Td numeric>{a.approvals}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
        </>
      )}
    </div>
  );
}
