// SPDX-License-Identifier: AGPL-3.0-or-later
import { useRef, useState } from 'react';
import { newIdempotencyKey } from '../api/client';
import { roles, type Role, type User } from '../api/models';
import { isProblem } from '../api/problem';
import { useMe } from '../app/useSessionData';
import { useFormat } from '../format/useFormat';
import { useUsers } from '../users/usersApi';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { Badge, ErrorState } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { useToast } from '../ui/Toast';
import { useCreateUser, useUpdateUser } from './adminApi';
import layout from '../ui/layout.module.css';

const roleLabel: Record<Role, string> = { admin: 'Admin', manager: 'Manager', member: 'Member', viewer: 'Viewer' };

export function UsersSection() {
  const me = useMe();
  const users = useUsers(me.data);
  const update = useUpdateUser();
  const toast = useToast();
  const format = useFormat();
  const [inviting, setInviting] = useState(false);

  async function change(user: User, body: { role?: Role; active?: boolean }) {
    try {
      await update.mutateAsync({ id: user.id, body });
      toast({ title: `${user.name} updated`, tone: 'success' });
    } catch (error) {
      toast({ title: 'Could not update the user', description: error instanceof Error ? error.message : undefined, tone: 'danger' });
    }
  }

  return (
    <section className={layout.stack} aria-labelledby="users-heading">
      <div className={layout.spread}>
        <h2 id="users-heading">Users</h2>
        <Button variant="primary" onClick={() => setInviting(true)}>
          Invite user
        </Button>
      </div>
      {users.isPending ? (
        <Loading what="users" />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <Table aria-label="Users">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>Status</Th>
              <Th>Since</Th>
              <Th>
                <span className="visually-hidden">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id}>
                <Td>{u.name}</Td>
                <Td>{u.email}</Td>
                <Td>
                  <select
                    aria-label={`Role of ${u.name}`}
                    value={u.role}
                    disabled={u.id === me.data?.id}
                    onChange={(e) => void change(u, { role: e.target.value as Role })}
                  >
                    {roles.map((r) => (
                      <option key={r} value={r}>
                        {roleLabel[r]}
                      </option>
                    ))}
                  </select>
                </Td>
                <Td>{u.active ? <Badge tone="success">Active</Badge> : <Badge>Deactivated</Badge>}</Td>
                <Td>{format.instant(u.createdAt)}</Td>
                <Td>
                  {u.id !== me.data?.id && (
                    <Button small onClick={() => void change(u, { active: !u.active })}>
                      {u.active ? 'Deactivate' : 'Reactivate'}
                      <span className="visually-hidden"> {u.name}</span>
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <InviteDialog open={inviting} onOpenChange={setInviting} />
    </section>
  );
}

function InviteDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const create = useCreateUser();
  const toast = useToast();
  const key = useRef(newIdempotencyKey());
  const [v, setV] = useState({ name: '', email: '', role: 'member' as Role, password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!v.name.trim()) next.name = 'Enter a name';
    if (!/^[^\s@]+@[^\s@]+$/.test(v.email.trim())) next.email = 'Enter an e-mail address';
    if (v.password.length < 12) next.password = 'At least 12 characters';
    setErrors(next);
    if (Object.keys(next).length) return;
    try {
      const user = await create.mutateAsync({
        body: { name: v.name.trim(), email: v.email.trim(), role: v.role, password: v.password },
        idempotencyKey: key.current,
      });
      key.current = newIdempotencyKey();
      toast({ title: 'User created', description: `${user.name} can sign in with the initial password.`, tone: 'success' });
      setV({ name: '', email: '', role: 'member', password: '' });
      onOpenChange(false);
    } catch (error) {
      if (isProblem(error) && error.isClientError) key.current = newIdempotencyKey();
      if (isProblem(error, 400)) setErrors(Object.fromEntries(error.errors.map((e) => [e.field, e.message])));
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Invite user" description="Give them the initial password; they change it after signing in.">
      <form className={layout.form} onSubmit={submit} noValidate>
        <Field label="Name" error={errors.name}>
          {(c) => <input {...c} value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />}
        </Field>
        <Field label="Email" error={errors.email}>
          {(c) => <input {...c} type="email" autoComplete="off" value={v.email} onChange={(e) => setV({ ...v, email: e.target.value })} />}
        </Field>
        <Field label="Role" error={errors.role}>
          {(c) => (
            <select {...c} value={v.role} onChange={(e) => setV({ ...v, role: e.target.value as Role })}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabel[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Initial password" hint="At least 12 characters" error={errors.password}>
          {(c) => <input {...c} type="password" autoComplete="new-password" value={v.password} onChange={(e) => setV({ ...v, password: e.target.value })} />}
        </Field>
        {create.isError && !isProblem(create.error, 400) && <ErrorState error={create.error} />}
        <div className={layout.actions}>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create user
          </Button>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
