// SPDX-License-Identifier: AGPL-3.0-or-later
import { useRef, useState } from 'react';
import { newIdempotencyKey } from '../api/client';
import { roles, type ApiKey, type Role } from '../api/models';
import { useFormat } from '../format/useFormat';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { CopyButton } from '../ui/CopyButton';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { Badge, EmptyState, ErrorState } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { useCreateApiKey, useApiKeys, useRevokeApiKey } from './adminApi';
import layout from '../ui/layout.module.css';

export function ApiKeysSection() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const format = useFormat();
  const idem = useRef(newIdempotencyKey());
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [missing, setMissing] = useState(false);
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setMissing(true);
      return;
    }
    try {
      const key = await create.mutateAsync({ body: { name: name.trim(), role }, idempotencyKey: idem.current });
      idem.current = newIdempotencyKey();
      setCreated(key);
      setName('');
    } catch {
      idem.current = newIdempotencyKey();
    }
  }

  return (
    <section className={layout.stack} aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <form className={`${layout.card} ${layout.row}`} onSubmit={submit} noValidate aria-label="New API key">
        <Field label="Key name" error={missing && !name.trim() ? 'Name the key after what uses it' : undefined}>
          {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Key role">
          {(c) => (
            <select {...c} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          )}
        </Field>
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create key
        </Button>
        {create.isError && <ErrorState error={create.error} />}
      </form>
      {created?.secret && (
        <div className={layout.card} role="region" aria-label="New API key secret">
          <h3>Secret of “{created.name}”</h3>
          <p>Store it now: it is shown only this once.</p>
          <div className={layout.row}>
            <code className={layout.secret} data-testid="api-key-secret">
              {created.secret}
            </code>
            <CopyButton text={created.secret} label="Copy the secret" />
          </div>
          <div>
            <Button onClick={() => setCreated(null)}>I have stored it</Button>
          </div>
        </div>
      )}
      {keys.isPending ? (
        <Loading what="API keys" />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.items.length === 0 ? (
        <EmptyState title="No API keys" />
      ) : (
        <Table aria-label="API keys">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Prefix</Th>
              <Th>Role</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>Status</Th>
              <Th>
                <span className="visually-hidden">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id}>
                <Td>{k.name}</Td>
                <Td>
                  <code>{k.prefix}</code>
                </Td>
                <Td>{k.role}</Td>
                <Td>{format.instant(k.createdAt)}</Td>
                <Td>{format.instant(k.lastUsedAt)}</Td>
                <Td>{k.revokedAt ? <Badge>Revoked</Badge> : <Badge tone="success">Active</Badge>}</Td>
                <Td>
                  {!k.revokedAt && (
                    <Button small variant="danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title="Revoke API key"
        description={`Clients using “${revoking?.name ?? ''}” stop working at once.`}
        confirmLabel="Revoke"
        danger
        onConfirm={() => revoke.mutateAsync(revoking!.id)}
      />
    </section>
  );
}
