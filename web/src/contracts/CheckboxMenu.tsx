// SPDX-License-Identifier: AGPL-3.0-or-later
import { DropdownMenu } from 'radix-ui';
import { Button } from '../ui/Button';
import styles from './ContractsPage.module.css';

export interface CheckboxOption {
  value: string;
  label: string;
}

/** A button opening a menu of checkboxes (statuses, columns); stays open while choosing. */
export function CheckboxMenu({
  label,
  buttonText,
  options,
  selected,
  onToggle,
}: {
  /** The accessible name of the button, e.g. "Status filter". */
  label: string;
  buttonText: string;
  options: CheckboxOption[];
  selected: ReadonlySet<string>;
  onToggle: (value: string, checked: boolean) => void;
}) {
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <Button aria-label={`${label}: ${buttonText}`}>{buttonText} ▾</Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className={styles.menu} align="start" sideOffset={4} aria-label={label}>
          {options.map((option) => (
            <DropdownMenu.CheckboxItem
              key={option.value}
              className={styles.menuItem}
              checked={selected.has(option.value)}
              onCheckedChange={(checked) => onToggle(option.value, checked === true)}
              // Keep the menu open so several values can be picked in a row.
              onSelect={(event) => event.preventDefault()}
            >
              <span className={styles.check} aria-hidden="true">
                <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
              </span>
              {option.label}
            </DropdownMenu.CheckboxItem>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
