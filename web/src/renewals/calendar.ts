// SPDX-License-Identifier: AGPL-3.0-or-later
// The renewals calendar's month grid: pure date arithmetic on `YYYY-MM-DD` strings (calendar
// dates of the organization, never shifted through a time zone).

/** Weeks (Monday first) covering the month, each 7 dates; days of other months are null. */
export function monthGrid(year: number, month: number): Array<Array<string | null>> {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday = 0
  const cells: Array<string | null> = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= days; d += 1)
    cells.push(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: Array<Array<string | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export function shiftMonth(year: number, month: number, by: number): { year: number; month: number } {
  const total = year * 12 + (month - 1) + by;
  return { year: Math.floor(total / 12), month: (total % 12) + 1 };
}

export interface CalendarEvent {
  date: string;
  kind: 'notice_deadline' | 'expiration';
  contractId: string;
  title: string;
}

/** Events grouped by date, deadlines before expirations, then by title. */
export function eventsByDate(events: CalendarEvent[]): Map<string, CalendarEvent[]> {
  const map = new Map<string, CalendarEvent[]>();
  for (const e of events) map.set(e.date, [...(map.get(e.date) ?? []), e]);
  for (const list of map.values())
    list.sort((a, b) => (a.kind === b.kind ? a.title.localeCompare(b.title) : a.kind === 'notice_deadline' ? -1 : 1));
  return map;
}
