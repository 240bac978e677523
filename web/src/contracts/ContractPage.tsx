// SPDX-License-Identifier: AGPL-3.0-or-later
import { lazy, Suspense } from 'react';
import { NavLink, useParams } from 'react-router';
import { isProblem } from '../api/problem';
import { withRetry } from '../api/retry';
import { ActivityTab } from '../activity/ActivityTab';
import { ApprovalTab } from '../approvals/ApprovalTab';
import { CommentsTab } from '../comments/CommentsTab';
import { DocumentsTab } from '../documents/DocumentsTab';
import { ObligationsTab } from '../obligations/ObligationsTab';
import { RelatedTab } from '../related/RelatedTab';
import { SignaturesTab } from '../signatures/SignaturesTab';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { ErrorState } from '../ui/States';
import { ButtonLink } from '../ui/Button';
import { ContractActions } from './ContractActions';
import { ContractOverview } from './ContractOverview';
import { useContract } from './contractsApi';
import { StatusBadge } from './StatusBadge';
import { allows } from './workflowApi';
import styles from './ContractPage.module.css';

// The PDF viewer is large: its chunk loads only when someone opens a preview.
const PreviewTab = lazy(withRetry(() => import('../documents/PreviewTab')));

const tabs = [
  { id: 'overview', label: 'Overview' },
  { id: 'documents', label: 'Documents' },
  { id: 'approval', label: 'Approval' },
  { id: 'signatures', label: 'Signatures' },
  { id: 'obligations', label: 'Obligations' },
  { id: 'comments', label: 'Comments' },
  { id: 'activity', label: 'Activity' },
  { id: 'related', label: 'Related' },
] as const;
type TabId = (typeof tabs)[number]['id'] | 'preview';

export function ContractPage() {
  const { contractId = '', tab } = useParams();
  const activeTab: TabId =
    tab === 'preview' || tabs.some((t) => t.id === tab) ? (tab as TabId) : 'overview';
  const contract = useContract(contractId);

  if (contract.isPending) return <Loading what="the contract" />;
  if (contract.isError) {
    return (
      <>
        <PageHeading title="Contract">
          {isProblem(contract.error, 404) ? 'Contract not found' : 'Contract could not be loaded'}
        </PageHeading>
        <ErrorState
          error={contract.error}
          onRetry={isProblem(contract.error, 404) ? undefined : () => void contract.refetch()}
          action={<ButtonLink to="/contracts">Back to contracts</ButtonLink>}
        />
      </>
    );
  }

  const { data } = contract.data;
  // What the caller may do is the server's word (`allowedActions`), never a rule restated here.
  const editable = allows(data, 'update');

  return (
    <>
      <div className={styles.header}>
        <PageHeading title={data.title}>{data.title}</PageHeading>
        <StatusBadge status={data.status} />
        {data.archived && <span className={styles.meta}>Archived</span>}
        {data.legalHold && <span className={styles.meta}>Legal hold</span>}
        <span className={styles.meta}>Version {data.version}</span>
      </div>
      <ContractActions contract={data} />
      <nav aria-label="Contract sections" className={styles.tabs}>
        {tabs.map((t) => (
          <NavLink
            key={t.id}
            to={t.id === 'overview' ? `/contracts/${contractId}` : `/contracts/${contractId}/${t.id}`}
            end
            // NavLink marks the overview link current only on its exact path.
            aria-current={t.id === activeTab ? 'page' : undefined}
          >
            {t.label}
          </NavLink>
        ))}
      </nav>
      <section className={styles.panel} aria-label={tabs.find((t) => t.id === activeTab)?.label ?? 'Preview'}>
        {activeTab === 'overview' && (
          <ContractOverview contract={data} etag={contract.data.etag} editable={editable} onReload={() => contract.refetch()} />
        )}
        {activeTab === 'documents' && <DocumentsTab contractId={contractId} editable={allows(data, 'uploadDocument')} />}
        {activeTab === 'preview' && (
          <Suspense fallback={<Loading what="the preview" />}>
            <PreviewTab contractId={contractId} />
          </Suspense>
        )}
        {activeTab === 'approval' && <ApprovalTab contract={data} />}
        {activeTab === 'signatures' && <SignaturesTab contract={data} />}
        {activeTab === 'obligations' && <ObligationsTab contract={data} editable={allows(data, 'addObligation')} />}
        {activeTab === 'comments' && <CommentsTab contract={data} canComment={allows(data, 'comment')} />}
        {activeTab === 'activity' && <ActivityTab contractId={contractId} />}
        {activeTab === 'related' && <RelatedTab contractId={contractId} />}
      </section>
    </>
  );
}
