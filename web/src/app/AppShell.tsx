// SPDX-License-Identifier: AGPL-3.0-or-later
import { Suspense, useEffect } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { signOut } from '../api/session';
import { NotificationBell } from '../notifications/NotificationBell';
import { Button } from '../ui/Button';
import { Loading } from '../ui/Spinner';
import { prefetchScreens } from './screens';
import { useMe } from './useSessionData';
import styles from './AppShell.module.css';

const navigation = [
  { to: '/', label: 'Home', end: true },
  { to: '/contracts', label: 'Contracts' },
  { to: '/approvals', label: 'Approvals' },
  { to: '/obligations', label: 'Obligations' },
  { to: '/renewals', label: 'Renewals' },
  { to: '/counterparties', label: 'Counterparties' },
  { to: '/reports', label: 'Reports' },
  { to: '/admin', label: 'Admin', adminOnly: true },
];

export function AppShell() {
  const me = useMe();
  const navigate = useNavigate();
  const items = navigation.filter((item) => !item.adminOnly || me.data?.role === 'admin');
  useEffect(prefetchScreens, []);

  async function handleSignOut() {
    await signOut();
    navigate('/sign-in', { replace: true });
  }

  return (
    <div className={styles.shell}>
      <a className={styles.skipLink} href="#main">
        Skip to content
      </a>
      <aside className={styles.sidebar}>
        <NavLink to="/" className={styles.brand}>
          contractmgmt
        </NavLink>
        <nav aria-label="Main" className={styles.nav}>
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end ?? false}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <header className={styles.header}>
        <span className={styles.org}>{me.data?.organization.name}</span>
        <NotificationBell />
        <NavLink to="/account" className={styles.user} aria-label={`My account: ${me.data?.name ?? ''}`}>
          {me.data?.name ?? 'My account'}
        </NavLink>
        <Button small onClick={handleSignOut}>
          Sign out
        </Button>
      </header>
      <main id="main" className={styles.main}>
        <Suspense fallback={<Loading what="the page" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
