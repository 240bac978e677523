// SPDX-License-Identifier: AGPL-3.0-or-later
import type { AuditEvent } from '../api/models';
import { useMe } from '../app/useSessionData';
import { useActivity } from '../contracts/contractsApi';
import { useFormat } from '../format/useFormat';
import { useUserName } from '../users/usersApi';
import { Button } from '../ui/Button';
import { Loading } from '../ui/Spinner';
import { EmptyState, ErrorState } from '../ui/States';
import styles from '../contracts/ContractPage.module.css';

/** "contract.updated" → "Contract updated"; unknown actions still read as words. */
export function describeAction(action: string): string {
  const words = action.replace(/[._]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A short list of what changed, e.g. "title, expirationDate". */
export function summarizeChanges(changes: AuditEvent['changes']): string {
  if (!changes) return '';
  return Object.keys(changes)
    .filter((key) => key !== 'contractId')
    .join(', ');
}

export function ActivityTab({ contractId }: { contractId: string }) {
  const activity = useActivity(contractId);
  const format = useFormat();
  const me = useMe();
  const userName = useUserName(me.data);

  if (activity.isPending) return <Loading what="activity" />;
  if (activity.isError) return <ErrorState error={activity.error} onRetry={() => void activity.refetch()} />;
  const events = activity.data.pages.flatMap((p) => p.items);
  if (events.length === 0) return <EmptyState title="No activity yet" />;

  const actor = (event: AuditEvent) =>
    event.actorType === 'system' && !event.actorId
      ? 'System'
      : event.actorType === 'signer'
        ? 'A signer'
        : userName(event.actorId);

  return (
    <>
      <h2>Activity</h2>
      <ol className={styles.events} aria-label="Activity, newest first">
        {events.map((event) => (
          <li key={event.id}>
            <time dateTime={event.at}>{format.instant(event.at)}</time>
            <span>
              <span className={styles.eventAction}>{describeAction(event.action)}</span> by{' '}
              {actor(event)}
            </span>
            {summarizeChanges(event.changes) && (
              <span className={styles.eventChanges}>Changed: {summarizeChanges(event.changes)}</span>
            )}
          </li>
        ))}
      </ol>
      {activity.hasNextPage && (
        <Button onClick={() => void activity.fetchNextPage()} busy={activity.isFetchingNextPage}>
          Show older activity
        </Button>
      )}
    </>
  );
}
