// SPDX-License-Identifier: AGPL-3.0-or-later
import { eventsByDate, monthGrid, shiftMonth } from './calendar';

describe('renewals calendar', () => {
  it('lays a month out in Monday-first weeks', () => {
    const weeks = monthGrid(2026, 12); // 1 December 2026 is a Tuesday
    expect(weeks[0]).toEqual([null, '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(weeks.at(-1)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', null, null, null]);
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
    expect(monthGrid(2028, 2).flat().filter(Boolean)).toHaveLength(29);
  });

  it('moves between months across years', () => {
    expect(shiftMonth(2026, 12, 1)).toEqual({ year: 2027, month: 1 });
    expect(shiftMonth(2026, 1, -1)).toEqual({ year: 2025, month: 12 });
  });

  it('groups events by date, deadlines first', () => {
    const map = eventsByDate([
      { date: '2026-12-05', kind: 'expiration', contractId: 'a', title: 'A' },
      { date: '2026-12-05', kind: 'notice_deadline', contractId: 'b', title: 'B' },
    ]);
    expect(map.get('2026-12-05')?.map((e) => e.contractId)).toEqual(['b', 'a']);
  });
});
