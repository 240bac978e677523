// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { downloadFile, versionContentUrl } from '../api/download';
import type { Contract, SignatureRequest, SignatureRequestInput, Signer } from '../api/models';
import { isProblem } from '../api/problem';
import { useMe } from '../app/useSessionData';
import {
  allows,
  useCancelSignatureRequest,
  useReissueLink,
  useSendForSignature,
  useSignatureRequests,
} from '../contracts/workflowApi';
import { useFormat } from '../format/useFormat';
import { useUsers } from '../users/usersApi';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { CopyButton } from '../ui/CopyButton';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { Badge, EmptyState, ErrorState, type Tone } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { useToast } from '../ui/Toast';
import layout from '../ui/layout.module.css';

const requestTone: Record<SignatureRequest['status'], Tone> = {
  pending: 'warning',
  completed: 'success',
  declined: 'danger',
  cancelled: 'neutral',
  voided: 'neutral',
  expired: 'danger',
};
const signerTone: Record<Signer['status'], Tone> = { pending: 'warning', signed: 'success', declined: 'danger' };

/** A signer's link as the signer opens it: the server answers paths on its own origin. */
export const absoluteLink = (signUrl: string) => new URL(signUrl, location.origin).toString();

export function SignaturesTab({ contract }: { contract: Contract }) {
  const requests = useSignatureRequests(contract.id);
  const [search] = useSearchParams();
  const canSend = allows(contract, 'sendForSignature');
  const [sending, setSending] = useState(search.get('send') === '1');
  const [links, setLinks] = useState<Signer[] | null>(null);

  return (
    <div className={layout.stack}>
      <div className={layout.spread}>
        <h2>Signatures</h2>
        {canSend && !sending && (
          <Button variant="primary" onClick={() => setSending(true)}>
            Send for signature
          </Button>
        )}
      </div>
      {links && <SigningLinks signers={links} onDismiss={() => setLinks(null)} />}
      {canSend && sending && (
        <SendForm
          contract={contract}
          onSent={(request) => {
            setSending(false);
            setLinks(request.signers.filter((s) => s.signUrl));
          }}
          onCancel={() => setSending(false)}
        />
      )}
      {requests.isPending ? (
        <Loading what="signature requests" />
      ) : requests.isError ? (
        <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />
      ) : requests.data.items.length === 0 ? (
        <EmptyState title="No signature requests">
          An approved contract is sent for signature with its main document.
        </EmptyState>
      ) : (
        requests.data.items.map((r) => (
          <RequestCard key={r.id} contract={contract} request={r} onLink={(s) => setLinks([s])} />
        ))
      )}
    </div>
  );
}

function SigningLinks({ signers, onDismiss }: { signers: Signer[]; onDismiss: () => void }) {
  if (signers.length === 0) return null;
  return (
    <section className={layout.card} aria-label="Signing links" role="region">
      <h3>Signing links</h3>
      <p className={layout.muted}>
        Pass each link to its signer now: it is shown only once, and anyone with it can sign as that
        person.
      </p>
      <ul className={layout.plainList}>
        {signers.map((s) => (
          <li key={s.id} className={layout.stack}>
            <span>
              {s.name} ({s.email})
            </span>
            <div className={layout.row}>
              <code className={layout.secret} data-testid="sign-link">
                {absoluteLink(s.signUrl ?? '')}
              </code>
              <CopyButton text={absoluteLink(s.signUrl ?? '')} label={`Copy the link for ${s.name}`} />
            </div>
          </li>
        ))}
      </ul>
      <div>
        <Button onClick={onDismiss}>Done</Button>
      </div>
    </section>
  );
}

interface SignerRow {
  kind: 'internal' | 'external';
  userId: string;
  name: string;
  email: string;
}
const emptySigner = (): SignerRow => ({ kind: 'external', userId: '', name: '', email: '' });

function SendForm({
  contract,
  onSent,
  onCancel,
}: {
  contract: Contract;
  onSent: (request: SignatureRequest) => void;
  onCancel: () => void;
}) {
  const me = useMe();
  const users = useUsers(me.data);
  const send = useSendForSignature(contract.id);
  const [signers, setSigners] = useState<SignerRow[]>([emptySigner()]);
  const [order, setOrder] = useState<'sequential' | 'parallel'>('sequential');
  const [message, setMessage] = useState('');
  const [expiresInDays, setExpiresInDays] = useState('14');
  const [invalid, setInvalid] = useState(false);
  const activeUsers = (users.data?.items ?? []).filter((u) => u.active);
  const update = (i: number, patch: Partial<SignerRow>) =>
    setSigners((rows) => rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const serverError = (field: string) =>
    isProblem(send.error, 400) ? send.error.errors.find((e) => e.field.startsWith(field))?.message : undefined;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const bad = signers.some((s) =>
      s.kind === 'internal' ? !s.userId : !s.name.trim() || !/^[^\s@]+@[^\s@]+$/.test(s.email.trim()),
    );
    setInvalid(bad);
    if (bad) return;
    const body: SignatureRequestInput = {
      signers: signers.map((s) =>
        s.kind === 'internal' ? { userId: s.userId } : { name: s.name.trim(), email: s.email.trim() },
      ),
      order,
      ...(message.trim() ? { message: message.trim() } : {}),
      expiresInDays: Number(expiresInDays) || 14,
    };
    try {
      onSent(await send.mutateAsync(body));
    } catch {
      // shown below
    }
  }

  return (
    <form className={layout.card} onSubmit={submit} noValidate aria-label="Send for signature">
      <h3>Send for signature</h3>
      <p className={layout.muted}>
        Signers sign the contract’s main document as it is now. In sequential order each signer’s link
        works when the one before has signed.
      </p>
      <ol className={layout.plainList} aria-label="Signers">
        {signers.map((s, i) => (
          <li key={i} className={layout.formGrid}>
            <Field label={`Signer ${i + 1}`}>
              {(control) => (
                <select
                  {...control}
                  value={s.kind}
                  onChange={(e) => update(i, { kind: e.target.value as SignerRow['kind'] })}
                >
                  <option value="external">Someone outside the organization</option>
                  {activeUsers.length > 0 && <option value="internal">A colleague</option>}
                </select>
              )}
            </Field>
            {s.kind === 'internal' ? (
              <Field label={`Colleague ${i + 1}`} error={invalid && !s.userId ? 'Choose a colleague' : undefined}>
                {(control) => (
                  <select {...control} value={s.userId} onChange={(e) => update(i, { userId: e.target.value })}>
                    <option value="">Choose…</option>
                    {activeUsers.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name} ({u.email})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : (
              <>
                <Field label={`Name of signer ${i + 1}`} error={invalid && !s.name.trim() ? 'Enter a name' : serverError(`signers[${i}].name`)}>
                  {(control) => (
                    <input {...control} value={s.name} autoComplete="off" onChange={(e) => update(i, { name: e.target.value })} />
                  )}
                </Field>
                <Field
                  label={`Email of signer ${i + 1}`}
                  error={
                    invalid && !/^[^\s@]+@[^\s@]+$/.test(s.email.trim())
                      ? 'Enter an e-mail address'
                      : serverError(`signers[${i}].email`)
                  }
                >
                  {(control) => (
                    <input {...control} type="email" autoComplete="off" value={s.email} onChange={(e) => update(i, { email: e.target.value })} />
                  )}
                </Field>
              </>
            )}
            <div className={layout.actions}>
              <Button small disabled={i === 0} aria-label={`Move signer ${i + 1} up`} onClick={() =>
                setSigners((rows) => {
                  const next = [...rows];
                  [next[i - 1], next[i]] = [next[i]!, next[i - 1]!];
                  return next;
                })
              }>
                ↑
              </Button>
              <Button small disabled={signers.length === 1} aria-label={`Remove signer ${i + 1}`} onClick={() =>
                setSigners((rows) => rows.filter((_, j) => j !== i))
              }>
                Remove
              </Button>
            </div>
          </li>
        ))}
      </ol>
      <div>
        <Button small disabled={signers.length >= 20} onClick={() => setSigners((rows) => [...rows, emptySigner()])}>
          Add signer
        </Button>
      </div>
      <div className={layout.formGrid}>
        <Field label="Order">
          {(control) => (
            <select {...control} value={order} onChange={(e) => setOrder(e.target.value as typeof order)}>
              <option value="sequential">One after another, in this order</option>
              <option value="parallel">All at once</option>
            </select>
          )}
        </Field>
        <Field label="Links expire after (days)">
          {(control) => (
            <input {...control} type="number" min={1} max={90} value={expiresInDays} onChange={(e) => setExpiresInDays(e.target.value)} />
          )}
        </Field>
      </div>
      <Field label="Message to the signers">
        {(control) => <textarea {...control} maxLength={2000} value={message} onChange={(e) => setMessage(e.target.value)} />}
      </Field>
      {send.isError && <ErrorState error={send.error} />}
      <div className={layout.actions}>
        <Button type="submit" variant="primary" busy={send.isPending}>
          Send
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

function RequestCard({
  contract,
  request,
  onLink,
}: {
  contract: Contract;
  request: SignatureRequest;
  onLink: (signer: Signer) => void;
}) {
  const format = useFormat();
  const toast = useToast();
  const cancel = useCancelSignatureRequest(contract.id);
  const reissue = useReissueLink(contract.id);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const canManage = allows(contract, 'sendForSignature') || allows(contract, 'update');
  const pending = request.status === 'pending';

  async function download(documentId: string, name: string) {
    try {
      await downloadFile(versionContentUrl(contract.id, documentId, 1), name);
    } catch (error) {
      toast({ title: 'Download failed', description: error instanceof Error ? error.message : undefined, tone: 'danger' });
    }
  }

  return (
    <section className={layout.card} aria-label={`Signature request of ${format.instant(request.createdAt)}`}>
      <div className={layout.spread}>
        <h3>
          {request.document.name} v{request.document.version}
        </h3>
        <Badge tone={requestTone[request.status]}>{request.status}</Badge>
      </div>
      <span className={layout.muted}>
        {request.order === 'sequential' ? 'Sequential' : 'Parallel'} · sent {format.instant(request.createdAt)} ·
        expires {format.instant(request.expiresAt)}
        {request.endReason ? ` · ${request.endReason}` : ''}
      </span>
      {request.message && <p className={layout.pre}>{request.message}</p>}
      <Table aria-label="Signers">
        <thead>
          <tr>
            <Th numeric>#</Th>
            <Th>Signer</Th>
            <Th>Status</Th>
            <Th>When</Th>
            <Th>
              <span className="visually-hidden">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {request.signers.map((s) => (
            <tr key={s.id}>
              <Td numeric>{s.position + 1}</Td>
              <Td>
                {s.name} ({s.email})
              </Td>
              <Td>
                <Badge tone={signerTone[s.status]}>{s.status}</Badge>
                {s.declineReason ? ` ${s.declineReason}` : ''}
              </Td>
              <Td>{format.instant(s.signedAt ?? s.declinedAt)}</Td>
              <Td>
                {pending && canManage && s.status === 'pending' && s.userId === null && (
                  <Button
                    small
                    busy={reissue.isPending && reissue.variables?.signerId === s.id}
                    onClick={async () => {
                      try {
                        onLink(await reissue.mutateAsync({ requestId: request.id, signerId: s.id }));
                        toast({ title: 'New link issued', description: 'The old link no longer works.', tone: 'success' });
                      } catch (error) {
                        toast({ title: 'Could not issue a link', description: error instanceof Error ? error.message : undefined, tone: 'danger' });
                      }
                    }}
                  >
                    Re-issue link
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <div className={layout.actions}>
        {request.certificate && (
          <>
            <Button onClick={() => void download(request.certificate!.pdfDocumentId, `signature-certificate-${request.id}.pdf`)}>
              Download certificate (PDF)
            </Button>
            <Button onClick={() => void download(request.certificate!.jsonDocumentId, `signature-certificate-${request.id}.json`)}>
              Certificate (JSON)
            </Button>
          </>
        )}
        {pending && canManage && (
          <Button variant="danger" onClick={() => setConfirmCancel(true)}>
            Cancel request
          </Button>
        )}
      </div>
      <ConfirmDialog
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        title="Cancel the signature request"
        description="Its links stop working and the contract returns to approved."
        confirmLabel="Cancel request"
        danger
        onConfirm={() => cancel.mutateAsync(request.id)}
      />
    </section>
  );
}
