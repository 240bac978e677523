// SPDX-License-Identifier: AGPL-3.0-or-later
import { useMemo } from 'react';
import { useOrganization } from '../app/useSessionData';
import type { Money } from '../api/models';
import { formatCalendarDate, formatInstant, formatMoney } from './format';

/** Formatters bound to the user's locale and the organization's time zone. */
export function useFormat() {
  const organization = useOrganization();
  const timeZone = organization.data?.timeZone ?? 'UTC';
  const locale = typeof navigator === 'undefined' ? 'en-US' : navigator.language;
  return useMemo(
    () => ({
      locale,
      timeZone,
      money: (money: Money | null | undefined) => formatMoney(money, locale),
      date: (date: string | null | undefined) => formatCalendarDate(date, locale),
      instant: (instant: string | null | undefined) => formatInstant(instant, timeZone, locale),
    }),
    [locale, timeZone],
  );
}
