// SPDX-License-Identifier: AGPL-3.0-or-later
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { contractStatuses, type Counterparty, type Me, type User } from '../api/models';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { activeFilterCount, emptyFilters, type ContractListFilters } from './contractListUrl';
import { CheckboxMenu } from './CheckboxMenu';
import { statusLabel } from './StatusBadge';
import styles from './ContractsPage.module.css';

export interface ContractFiltersProps {
  filters: ContractListFilters;
  onChange: (next: ContractListFilters) => void;
  contractTypes: string[];
  counterparties: Counterparty[];
  /** Everyone in the organization when the viewer is an admin; otherwise empty. */
  users: User[];
  me: Me | undefined;
}

/**
 * A text box that reports its value after typing pauses, so each keystroke does not become
 * a request and a history entry, and that follows the URL when it changes (back button).
 */
function useDebouncedText(value: string, onCommit: (value: string) => void, delayMs = 400) {
  const [text, setText] = useState(value);
  // The latest callback, so a commit merges into the filters as they are when it fires.
  const commit = useRef(onCommit);
  useLayoutEffect(() => {
    commit.current = onCommit;
  });
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => commit.current(text), delayMs);
    return () => clearTimeout(timer);
  }, [text, value, delayMs]);
  return [text, setText] as const;
}

export function ContractFilters({
  filters,
  onChange,
  contractTypes,
  counterparties,
  users,
  me,
}: ContractFiltersProps) {
  const set = (patch: Partial<ContractListFilters>) => onChange({ ...filters, ...patch });
  const [q, setQ] = useDebouncedText(filters.q ?? '', (text) => set({ q: text.trim() || undefined }));
  const [tag, setTag] = useDebouncedText(filters.tag ?? '', (text) =>
    set({ tag: text.trim() || undefined }),
  );
  const [minValue, setMinValue] = useDebouncedText(filters.minValue ?? '', (text) =>
    set({ minValue: text.trim() || undefined }),
  );
  const [maxValue, setMaxValue] = useDebouncedText(filters.maxValue ?? '', (text) =>
    set({ maxValue: text.trim() || undefined }),
  );
  const [currency, setCurrency] = useDebouncedText(filters.currency ?? '', (text) => {
    const code = text.trim().toUpperCase();
    // A value range means nothing without its currency: clear it with the currency.
    if (!/^[A-Z]{3}$/.test(code))
      set({
        currency: undefined,
        minValue: undefined,
        maxValue: undefined,
        sort: filters.sort.field === 'value' ? emptyFilters.sort : filters.sort,
      });
    else set({ currency: code });
  });

  const selectedStatuses = new Set<string>(filters.status);
  const statusText =
    filters.status.length === 0
      ? 'Any status'
      : filters.status.length === 1
        ? statusLabel(filters.status[0]!)
        : `${filters.status.length} statuses`;

  const owners: Array<{ id: string; name: string }> =
    users.length > 0 ? users : me ? [{ id: me.id, name: `${me.name} (me)` }] : [];

  return (
    <div role="search" className={styles.filters} aria-label="Filter contracts">
      <Field label="Search titles">
        {(control) => (
          <input
            {...control}
            type="search"
            placeholder="Title contains…"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        )}
      </Field>
      <div>
        <span aria-hidden="true" style={{ display: 'block', fontWeight: 600, fontSize: 13 }}>
          Status
        </span>
        <CheckboxMenu
          label="Status filter"
          buttonText={statusText}
          options={contractStatuses.map((s) => ({ value: s, label: statusLabel(s) }))}
          selected={selectedStatuses}
          onToggle={(value, checked) => {
            const next = new Set(filters.status);
            if (checked) next.add(value as (typeof contractStatuses)[number]);
            else next.delete(value as (typeof contractStatuses)[number]);
            set({ status: contractStatuses.filter((s) => next.has(s)) });
          }}
        />
      </div>
      <Field label="Type">
        {(control) => (
          <select {...control} value={filters.type ?? ''} onChange={(e) => set({ type: e.target.value || undefined })}>
            <option value="">Any type</option>
            {contractTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Counterparty">
        {(control) => (
          <select
            {...control}
            value={filters.counterpartyId ?? ''}
            onChange={(e) => set({ counterpartyId: e.target.value || undefined })}
          >
            <option value="">Any counterparty</option>
            {counterparties.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Owner">
        {(control) => (
          <select {...control} value={filters.ownerId ?? ''} onChange={(e) => set({ ownerId: e.target.value || undefined })}>
            <option value="">Anyone</option>
            {owners.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Tag">
        {(control) => (
          <input {...control} className={styles.narrow} value={tag} onChange={(e) => setTag(e.target.value)} />
        )}
      </Field>
      <Field label="Expiring after">
        {(control) => (
          <input
            {...control}
            type="date"
            value={filters.expiringAfter ?? ''}
            onChange={(e) => set({ expiringAfter: e.target.value || undefined })}
          />
        )}
      </Field>
      <Field label="Expiring before">
        {(control) => (
          <input
            {...control}
            type="date"
            value={filters.expiringBefore ?? ''}
            onChange={(e) => set({ expiringBefore: e.target.value || undefined })}
          />
        )}
      </Field>
      <Field label="Currency">
        {(control) => (
          <input
            {...control}
            className={styles.currency}
            maxLength={3}
            placeholder="EUR"
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
          />
        )}
      </Field>
      <AmountField label="Min value" currency={filters.currency} value={minValue} onChange={setMinValue} />
      <AmountField label="Max value" currency={filters.currency} value={maxValue} onChange={setMaxValue} />
      {activeFilterCount(filters) > 0 && (
        <Button onClick={() => onChange({ ...emptyFilters, sort: filters.sort })}>Clear filters</Button>
      )}
    </div>
  );
}

/** A value bound of the filter: an amount in the chosen currency, so it waits for one. */
function AmountField({
  label,
  currency,
  value,
  onChange,
}: {
  label: string;
  currency: string | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label}>
      {(control) => (
        <input
          {...control}
          className={styles.narrow}
          inputMode="decimal"
          disabled={!currency}
          title={currency ? undefined : 'Choose a currency first'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
