// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState } from 'react';
import { Link } from 'react-router';
import type { Notification, NotificationPreferencesView } from '../api/models';
import { useFormat } from '../format/useFormat';
import { Button } from '../ui/Button';
import { CheckboxField } from '../ui/Field';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { Badge, EmptyState, ErrorState } from '../ui/States';
import { useToast } from '../ui/Toast';
import {
  kindLabels,
  notificationLink,
  useMarkAllRead,
  useMarkRead,
  useNotifications,
  usePreferences,
  useSavePreferences,
} from './notificationsApi';
import layout from '../ui/layout.module.css';

export function NotificationsPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly);
  const markAll = useMarkAllRead();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className={layout.stack}>
      <div className={layout.spread}>
        <PageHeading title="Notifications">Notifications</PageHeading>
        <div className={layout.actions}>
          <Button aria-pressed={unreadOnly} onClick={() => setUnreadOnly((u) => !u)}>
            Unread only
          </Button>
          <Button busy={markAll.isPending} onClick={() => markAll.mutate()}>
            Mark all read
          </Button>
        </div>
      </div>
      <div className={layout.twoColumns}>
        <section aria-label="Notification list" className={layout.stack}>
          {list.isPending ? (
            <Loading what="notifications" />
          ) : list.isError ? (
            <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          ) : items.length === 0 ? (
            <EmptyState title={unreadOnly ? 'Nothing unread' : 'No notifications yet'} />
          ) : (
            <ul className={layout.plainList}>
              {items.map((n) => (
                <li key={n.id}>
                  <NotificationItem notification={n} />
                </li>
              ))}
            </ul>
          )}
          {list.hasNextPage && (
            <div>
              <Button busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                Show older
              </Button>
            </div>
          )}
        </section>
        <Preferences />
      </div>
    </div>
  );
}

export function NotificationItem({ notification: n }: { notification: Notification }) {
  const format = useFormat();
  const markRead = useMarkRead();
  const link = notificationLink(n);
  const unread = n.readAt === null;
  return (
    <div className={layout.spread}>
      <div className={layout.stack}>
        <span className={layout.row}>
          {unread && <Badge tone="info">Unread</Badge>}
          {link ? (
            <Link to={link} onClick={() => unread && markRead.mutate(n.id)}>
              {n.title}
            </Link>
          ) : (
            <span>{n.title}</span>
          )}
        </span>
        <time className={layout.muted} dateTime={n.createdAt}>
          {format.instant(n.createdAt)}
        </time>
      </div>
      {unread && (
        <Button small busy={markRead.isPending} onClick={() => markRead.mutate(n.id)} aria-label={`Mark “${n.title}” read`}>
          Mark read
        </Button>
      )}
    </div>
  );
}

function Preferences() {
  const prefs = usePreferences();
  if (prefs.isPending) return <Loading what="preferences" />;
  if (prefs.isError) return <ErrorState error={prefs.error} />;
  return <PreferencesForm initial={prefs.data} />;
}

function PreferencesForm({ initial }: { initial: NotificationPreferencesView }) {
  const [values, setValues] = useState(initial);
  const save = useSavePreferences();
  const toast = useToast();
  return (
    <form
      className={layout.card}
      aria-label="Notification preferences"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await save.mutateAsync(values);
          toast({ title: 'Preferences saved', tone: 'success' });
        } catch {
          // shown below
        }
      }}
    >
      <h2>What to notify me about</h2>
      {(Object.keys(kindLabels) as Array<keyof typeof kindLabels>).map((kind) => (
        <CheckboxField key={kind} label={kindLabels[kind]}>
          {({ id }) => (
            <input
              id={id}
              type="checkbox"
              checked={values[kind]}
              onChange={(e) => setValues((v) => ({ ...v, [kind]: e.target.checked }))}
            />
          )}
        </CheckboxField>
      ))}
      {save.isError && <ErrorState error={save.error} />}
      <div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save preferences
        </Button>
      </div>
    </form>
  );
}
