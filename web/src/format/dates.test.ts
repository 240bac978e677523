// SPDX-License-Identifier: AGPL-3.0-or-later
import { addDays, addMonths, daysBetween } from './format';
import { earliestTermination } from '../renewals/RenewalDialogs';

describe('calendar arithmetic', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-12-01', '2027-01-01')).toBe(31);
  });

  it('adds months clamping to the month’s end, as the server renews', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2027-12-31', 12)).toBe('2028-12-31');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('puts the earliest termination without cause a notice period after today', () => {
    expect(earliestTermination('2026-12-03', 30)).toBe('2027-01-02');
    expect(earliestTermination('2026-12-03', null)).toBe('2026-12-03');
  });
});
