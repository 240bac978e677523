// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState } from 'react';
import { DropdownMenu } from 'radix-ui';
import type { SavedView } from '../api/models';
import { isProblem } from '../api/problem';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { ErrorState } from '../ui/States';
import { useToast } from '../ui/Toast';
import { useCreateView, useDeleteView, useUpdateView, useViews } from './viewsApi';
import menuStyles from '../contracts/ContractsPage.module.css';
import layout from '../ui/layout.module.css';

/**
 * The contracts list's saved views: apply one (its filters go to the URL, its columns to the
 * table), save the current filters and columns, rename or delete one.
 */
export function ViewsMenu({
  query,
  columns,
  onApply,
}: {
  /** The current list query string, without `?`. */
  query: string;
  columns: string[];
  onApply: (view: SavedView) => void;
}) {
  const views = useViews();
  const create = useCreateView();
  const update = useUpdateView();
  const remove = useDeleteView();
  const toast = useToast();
  const [naming, setNaming] = useState<{ mode: 'save' } | { mode: 'rename'; view: SavedView } | null>(null);
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const items = views.data?.items ?? [];
  const unavailable = views.isError && isProblem(views.error, 404);

  if (unavailable) return null; // a server without saved views yet
  return (
    <>
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger asChild>
          <Button aria-label={`Views${items.length ? `, ${items.length} saved` : ''}`}>Views ▾</Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className={menuStyles.menu} align="start" sideOffset={4} aria-label="Views">
            {items.length === 0 && (
              <DropdownMenu.Label className={menuStyles.menuItem}>No saved views yet</DropdownMenu.Label>
            )}
            {items.map((v) => (
              <DropdownMenu.Item key={v.id} className={menuStyles.menuItem} onSelect={() => onApply(v)}>
                {v.name}
              </DropdownMenu.Item>
            ))}
            <DropdownMenu.Separator className={menuStyles.separator} />
            <DropdownMenu.Item className={menuStyles.menuItem} onSelect={() => setNaming({ mode: 'save' })}>
              Save current view…
            </DropdownMenu.Item>
            {items.length > 0 && (
              <DropdownMenu.Sub>
                <DropdownMenu.SubTrigger className={menuStyles.menuItem}>Rename ▸</DropdownMenu.SubTrigger>
                <DropdownMenu.Portal>
                  <DropdownMenu.SubContent className={menuStyles.menu} aria-label="Rename a view">
                    {items.map((v) => (
                      <DropdownMenu.Item key={v.id} className={menuStyles.menuItem} onSelect={() => setNaming({ mode: 'rename', view: v })}>
                        {v.name}
                      </DropdownMenu.Item>
                    ))}
                  </DropdownMenu.SubContent>
                </DropdownMenu.Portal>
              </DropdownMenu.Sub>
            )}
            {items.length > 0 && (
              <DropdownMenu.Sub>
                <DropdownMenu.SubTrigger className={menuStyles.menuItem}>Delete ▸</DropdownMenu.SubTrigger>
                <DropdownMenu.Portal>
                  <DropdownMenu.SubContent className={menuStyles.menu} aria-label="Delete a view">
                    {items.map((v) => (
                      <DropdownMenu.Item key={v.id} className={menuStyles.menuItem} onSelect={() => setDeleting(v)}>
                        {v.name}
                      </DropdownMenu.Item>
                    ))}
                  </DropdownMenu.SubContent>
                </DropdownMenu.Portal>
              </DropdownMenu.Sub>
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {naming && (
        <NameDialog
          title={naming.mode === 'save' ? 'Save view' : 'Rename view'}
          initial={naming.mode === 'rename' ? naming.view.name : ''}
          busy={create.isPending || update.isPending}
          error={naming.mode === 'save' ? create.error : update.error}
          onCancel={() => setNaming(null)}
          onSubmit={async (name) => {
            if (naming.mode === 'save') {
              await create.mutateAsync({ name, query, columns });
              toast({ title: 'View saved', description: name, tone: 'success' });
            } else {
              await update.mutateAsync({ id: naming.view.id, body: { name } });
              toast({ title: 'View renamed', description: name, tone: 'success' });
            }
            setNaming(null);
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete view"
        description={`“${deleting?.name ?? ''}” will be deleted; contracts are not affected.`}
        confirmLabel="Delete view"
        danger
        onConfirm={() => remove.mutateAsync(deleting!.id)}
      />
    </>
  );
}

function NameDialog({
  title,
  initial,
  busy,
  error,
  onCancel,
  onSubmit,
}: {
  title: string;
  initial: string;
  busy: boolean;
  error: unknown;
  onCancel: () => void;
  onSubmit: (name: string) => Promise<void>;
}) {
  const [name, setName] = useState(initial);
  const [invalid, setInvalid] = useState(false);
  return (
    <Dialog open onOpenChange={(open) => !open && onCancel()} title={title}>
      <form
        className={layout.form}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = name.trim();
          if (!trimmed || trimmed.length > 100) {
            setInvalid(true);
            return;
          }
          onSubmit(trimmed).catch(() => undefined);
        }}
      >
        <Field label="View name" error={invalid ? 'Between 1 and 100 characters' : undefined}>
          {(c) => <input {...c} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
        </Field>
        {error !== null && error !== undefined && <ErrorState error={error} />}
        <div className={layout.actions}>
          <Button type="submit" variant="primary" busy={busy}>
            Save
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
