// SPDX-License-Identifier: AGPL-3.0-or-later
import {
  currencyDecimals,
  formatBytes,
  formatCalendarDate,
  formatInstant,
  formatMoney,
  isKnownCurrency,
  todayIn,
} from './format';

// Intl output may use narrow no-break spaces; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
  it('uses the currency and the reader locale', () => {
    expect(formatMoney({ amount: '125000.00', currency: 'EUR' }, 'en-US')).toBe('€125,000.00');
    expect(plain(formatMoney({ amount: '125000.00', currency: 'EUR' }, 'de-DE'))).toBe(
      '125.000,00 €',
    );
  });

  it('shows yen without decimals', () => {
    expect(formatMoney({ amount: '1500', currency: 'JPY' }, 'en-US')).toBe('¥1,500');
  });

  it('keeps every digit of large amounts', () => {
    expect(formatMoney({ amount: '12345678901234.56', currency: 'USD' }, 'en-US')).toBe(
      '$12,345,678,901,234.56',
    );
  });

  it('shows a dash when there is no value', () => {
    expect(formatMoney(null, 'en-US')).toBe('—');
  });

  it('knows how many decimals a currency allows', () => {
    expect(currencyDecimals('EUR')).toBe(2);
    expect(currencyDecimals('JPY')).toBe(0);
    expect(currencyDecimals('KWD')).toBe(3);
    expect(isKnownCurrency('EUR')).toBe(true);
    expect(isKnownCurrency('eur')).toBe(false);
  });
});

describe('dates', () => {
  it('shows a calendar date as that day in every zone', () => {
    expect(formatCalendarDate('2027-01-31', 'en-US')).toBe('Jan 31, 2027');
    expect(formatCalendarDate(null, 'en-US')).toBe('—');
  });

  it('shows instants in the organization time zone', () => {
    const instant = '2026-11-26T23:30:00.000Z';
    expect(plain(formatInstant(instant, 'UTC', 'en-GB'))).toBe('26 Nov 2026, 23:30');
    expect(plain(formatInstant(instant, 'Europe/Berlin', 'en-GB'))).toBe('27 Nov 2026, 00:30');
  });

  it('falls back to UTC, labelled, for an unknown zone', () => {
    expect(plain(formatInstant('2026-11-26T10:00:00Z', 'Mars/Olympus', 'en-GB'))).toBe(
      '26 Nov 2026, 10:00 UTC',
    );
  });

  it('tells today’s date in the organization time zone', () => {
    const now = new Date('2026-11-26T23:30:00Z');
    expect(todayIn('UTC', now)).toBe('2026-11-26');
    expect(todayIn('Asia/Tokyo', now)).toBe('2026-11-27');
  });

  it('formats file sizes', () => {
    expect(plain(formatBytes(6, 'en-US'))).toBe('6 byte');
    expect(plain(formatBytes(1536, 'en-US'))).toBe('1.5 kB');
  });
});
