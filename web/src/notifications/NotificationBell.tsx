// SPDX-License-Identifier: AGPL-3.0-or-later
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import styles from '../app/AppShell.module.css';
import uiStyles from '../ui/ui.module.css';

/** Polled, because the server has no push channel yet (WebSocket is a later issue). */
const POLL_MS = 30_000;

export function NotificationBell() {
  const unread = useQuery({
    queryKey: queryKeys.unreadCount,
    queryFn: () => unwrap(api.GET('/api/v1/notifications/unread-count')),
    refetchInterval: POLL_MS,
    staleTime: POLL_MS,
  });
  const count = unread.data?.count ?? 0;
  const shown = count > 99 ? '99+' : String(count);
  const label = count === 0 ? 'Notifications, none unread' : `Notifications, ${count} unread`;
  return (
    <Link
      to="/notifications"
      className={`${uiStyles.button} ${uiStyles.ghost} ${styles.bell}`}
      aria-label={label}
      title={label}
    >
      <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count > 0 && (
        <span className={styles.count} aria-hidden="true">
          {shown}
        </span>
      )}
    </Link>
  );
}
