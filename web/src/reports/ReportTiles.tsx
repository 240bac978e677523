// SPDX-License-Identifier: AGPL-3.0-or-later
import { Link } from 'react-router';
import { contractStatuses, type SummaryReport } from '../api/models';
import { statusLabel } from '../contracts/StatusBadge';
import { useFormat } from '../format/useFormat';
import { BarChart } from '../ui/BarChart';
import layout from '../ui/layout.module.css';

export function ReportTiles({ report }: { report: SummaryReport }) {
  const format = useFormat();
  const inForce = report.contracts.byStatus.active + report.contracts.byStatus.renewed;
  const expiring = (days: number) => report.expiring.find((e) => e.withinDays === days);
  return (
    <div className={layout.tiles}>
      <Tile label="Contracts" value={report.contracts.total} to="/contracts" />
      <Tile label="In force" value={inForce} to="/contracts?status=active,renewed" />
      {[30, 60, 90].map((d) => {
        const e = expiring(d);
        return (
          <Tile
            key={d}
            label={`Expiring in ${d} days`}
            value={e?.contracts ?? 0}
            to={e ? `/contracts?status=active,renewed&expiringBefore=${e.until}&sort=expirationDate` : '/renewals'}
          />
        );
      })}
      <Tile label="Overdue obligations" value={report.overdueObligations} to="/obligations?assignee=all&status=overdue" />
      <Tile
        label="Median cycle time"
        value={report.cycleTime.medianDays !== null ? `${report.cycleTime.medianDays} days` : '—'}
        hint={`${report.cycleTime.contracts} activated in ${report.cycleTime.windowDays} days`}
      />
      {report.activeValue.map((v) => (
        <Tile
          key={v.currency}
          label={`Value in force (${v.currency})`}
          value={format.money(v)}
          hint={v.contracts === 1 ? '1 contract' : `${v.contracts} contracts`}
        />
      ))}
    </div>
  );
}

function Tile({ label, value, to, hint }: { label: string; value: string | number; to?: string; hint?: string }) {
  return (
    <div className={layout.card}>
      <span className={layout.muted}>{label}</span>
      {to ? (
        <Link to={to} className={layout.bigNumber} aria-label={`${label}: ${value}`}>
          {value}
        </Link>
      ) : (
        <span className={layout.bigNumber}>{value}</span>
      )}
      {hint && <span className={layout.muted}>{hint}</span>}
    </div>
  );
}

export function StatusChart({ report }: { report: SummaryReport }) {
  return (
    <BarChart
      title="Contracts by status"
      bars={contractStatuses.map((s) => ({ label: statusLabel(s), value: report.contracts.byStatus[s] }))}
    />
  );
}

export function ExpiringChart({ report }: { report: SummaryReport }) {
  return (
    <BarChart
      title="Contracts expiring"
      bars={report.expiring.map((e) => ({ label: `≤ ${e.withinDays} days`, value: e.contracts }))}
    />
  );
}

export function TypeChart({ report }: { report: SummaryReport }) {
  const entries = Object.entries(report.contracts.byType).sort((a, b) => b[1] - a[1]);
  return <BarChart title="Contracts by type" bars={entries.map(([label, value]) => ({ label, value }))} />;
}

export function ValueChart({ report }: { report: SummaryReport }) {
  const format = useFormat();
  // Amounts of different currencies do not share a scale: each bar is its share of contracts.
  return (
    <BarChart
      title="Value in force per currency"
      bars={report.activeValue.map((v) => ({ label: v.currency, value: v.contracts, display: `${format.money(v)} (${v.contracts})` }))}
    />
  );
}
