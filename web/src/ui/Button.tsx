// SPDX-License-Identifier: AGPL-3.0-or-later
import type { ButtonHTMLAttributes, Ref } from 'react';
import { Link, type LinkProps } from 'react-router';
import styles from './ui.module.css';
import { Spinner } from './Spinner';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

function classes(variant: Variant, small: boolean | undefined, extra?: string) {
  return [
    styles.button,
    variant !== 'secondary' ? styles[variant] : '',
    small ? styles.small : '',
    extra ?? '',
  ]
    .filter(Boolean)
    .join(' ');
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  small?: boolean;
  /** Shows a spinner and blocks clicks while an action runs. */
  busy?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({
  variant = 'secondary',
  small,
  busy,
  disabled,
  className,
  children,
  type = 'button',
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      className={classes(variant, small, className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy && <Spinner label="" />}
      {children}
    </button>
  );
}

/** A link that looks like a button (navigation stays a link for middle-click and history). */
export function ButtonLink({
  variant = 'secondary',
  small,
  className,
  ...rest
}: LinkProps & { variant?: Variant; small?: boolean }) {
  return <Link className={classes(variant, small, className)} {...rest} />;
}
