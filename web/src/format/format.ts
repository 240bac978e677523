// SPDX-License-Identifier: AGPL-3.0-or-later
// Money and dates as people read them: in the user's locale, with instants shown in the
// organization's time zone (its deadlines are calendar dates of that zone, docs/API.md).
import type { Money } from '../api/models';

// Building an Intl formatter costs far more than using one (a table of 10,000 rows formats
// ~70 dates per scroll frame): every formatter is made once per locale and options and kept.
// The keys are few (locales × zones × a handful of option sets), so the caches stay small.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

const moneyFormat = (locale: string, currency: string) => numberFormat(locale, { style: 'currency', currency });

/** How many minor-unit digits a currency has (EUR 2, JPY 0, KWD 3), as the server counts. */
export function currencyDecimals(currency: string): number {
  try {
    return moneyFormat('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return true;
  }
}

/**
 * Formats a money value. The amount is a decimal string and is passed to Intl as a string, so
 * large amounts keep every digit (a float would round 12345678901234.56).
 */
export function formatMoney(money: Money | null | undefined, locale: string): string {
  if (!money) return '—';
  try {
    return moneyFormat(locale, money.currency).format(money.amount as Intl.StringNumericLiteral);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

/**
 * A calendar date (`YYYY-MM-DD`, e.g. an expiration) is the same day everywhere: it is
 * formatted as that day, never shifted through a time zone.
 */
export function formatCalendarDate(date: string | null | undefined, locale: string): string {
  if (!date) return '—';
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return dateFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(parsed);
}

/** An instant (RFC 3339) as date and time in the organization's zone. */
export function formatInstant(
  instant: string | null | undefined,
  timeZone: string,
  locale: string,
): string {
  if (!instant) return '—';
  const parsed = new Date(instant);
  if (Number.isNaN(parsed.getTime())) return instant;
  try {
    return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(parsed);
  } catch {
    // An unknown zone name must not break the page: fall back to UTC, and say so.
    return `${dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(parsed)} UTC`;
  }
}

/** Today's date (`YYYY-MM-DD`) in a time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = dateFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function formatBytes(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return numberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** `YYYY-MM-DD` plus `days` calendar days (negative to go back). */
export function addDays(date: string, days: number): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  parsed.setUTCDate(parsed.getUTCDate() + days);
  return parsed.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** `YYYY-MM-DD` plus whole months, the day clamped to the month's end (as the server does). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
