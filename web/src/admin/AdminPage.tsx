// SPDX-License-Identifier: AGPL-3.0-or-later
import { NavLink, Navigate, useParams } from 'react-router';
import { useMe } from '../app/useSessionData';
import { PageHeading } from '../ui/PageHeading';
import { Loading } from '../ui/Spinner';
import { EmptyState } from '../ui/States';
import { ApiKeysSection } from './ApiKeysSection';
import { AuditSection } from './AuditSection';
import { OrganizationSection } from './OrganizationSection';
import { PolicySection } from './PolicySection';
import { UsersSection } from './UsersSection';
import layout from '../ui/layout.module.css';

const sections = [
  { id: 'users', label: 'Users' },
  { id: 'api-keys', label: 'API keys' },
  { id: 'organization', label: 'Organization' },
  { id: 'approval-policy', label: 'Approval policy' },
  { id: 'audit', label: 'Audit log' },
] as const;

export function AdminPage() {
  const { section } = useParams();
  const me = useMe();
  if (me.isPending) return <Loading what="your account" />;
  if (me.data?.role !== 'admin')
    return (
      <>
        <PageHeading title="Admin">Admin</PageHeading>
        <EmptyState title="Only administrators manage the organization" />
      </>
    );
  const current = sections.find((s) => s.id === section);
  if (!current) return <Navigate to="/admin/users" replace />;
  return (
    <div className={layout.stack}>
      <PageHeading title={`Admin: ${current.label}`}>Admin</PageHeading>
      <nav aria-label="Admin sections" className={layout.subTabs}>
        {sections.map((s) => (
          <NavLink key={s.id} to={`/admin/${s.id}`}>
            {s.label}
          </NavLink>
        ))}
      </nav>
      {current.id === 'users' && <UsersSection />}
      {current.id === 'api-keys' && <ApiKeysSection />}
      {current.id === 'organization' && <OrganizationSection />}
      {current.id === 'approval-policy' && <PolicySection />}
      {current.id === 'audit' && <AuditSection />}
    </div>
  );
}
