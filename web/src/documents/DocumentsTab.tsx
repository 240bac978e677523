// SPDX-License-Identifier: AGPL-3.0-or-later
import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, authorizedFetch, unwrap } from '../api/client';
import { downloadFile } from '../api/download';
import type { ContractDocument, DocumentKind } from '../api/models';
import { problemFrom } from '../api/problem';
import { queryKeys } from '../api/queryKeys';
import { uploadDocument } from '../api/upload';
import { useDocuments } from '../contracts/contractsApi';
import { formatBytes } from '../format/format';
import { useFormat } from '../format/useFormat';
import { Button, ButtonLink } from '../ui/Button';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';
import { EmptyState, ErrorState } from '../ui/States';
import { Table, Td, Th } from '../ui/Table';
import { useToast } from '../ui/Toast';
import styles from '../contracts/ContractPage.module.css';
import uiStyles from '../ui/ui.module.css';
import layout from '../ui/layout.module.css';
import docStyles from './Documents.module.css';
import { Redline } from './Redline';

const kinds: Array<{ value: DocumentKind; label: string }> = [
  { value: 'main', label: 'Main document' },
  { value: 'attachment', label: 'Attachment' },
  { value: 'exhibit', label: 'Exhibit' },
  { value: 'signed_copy', label: 'Signed copy' },
];
const kindLabel = (kind: DocumentKind) => kinds.find((k) => k.value === kind)?.label ?? kind;

export function DocumentsTab({ contractId, editable }: { contractId: string; editable: boolean }) {
  const documents = useDocuments(contractId);
  return (
    <>
      <h2>Documents</h2>
      {editable && <UploadForm contractId={contractId} />}
      {documents.isPending ? (
        <Loading what="documents" />
      ) : documents.isError ? (
        <ErrorState error={documents.error} onRetry={() => void documents.refetch()} />
      ) : documents.data.items.length === 0 ? (
        <EmptyState title="No documents yet">
          {editable ? 'Upload the contract and its attachments above.' : 'Nothing has been uploaded.'}
        </EmptyState>
      ) : (
        <DocumentTable documents={documents.data.items} />
      )}
    </>
  );
}

function DocumentTable({ documents }: { documents: ContractDocument[] }) {
  const format = useFormat();
  const [comparing, setComparing] = useState<ContractDocument | null>(null);
  const [reading, setReading] = useState<ContractDocument | null>(null);
  const [versions, setVersions] = useState<ContractDocument | null>(null);
  return (
    <>
      <Table aria-label="Documents">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Kind</Th>
            <Th numeric>Version</Th>
            <Th numeric>Size</Th>
            <Th>Uploaded</Th>
            <Th>Text</Th>
            <Th>
              <span className="visually-hidden">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {documents.map((doc) => (
            <tr key={doc.id}>
              <Td>{doc.name}</Td>
              <Td>{kindLabel(doc.kind)}</Td>
              <Td numeric>{doc.latestVersion}</Td>
              <Td numeric>{formatBytes(doc.latest.size, format.locale)}</Td>
              <Td>{format.instant(doc.latest.uploadedAt)}</Td>
              <Td>{doc.latest.extraction.status}</Td>
              <Td>
                <span className={docStyles.actions}>
                  {doc.latest.contentType === 'application/pdf' && (
                    <ButtonLink
                      small
                      to={`/contracts/${doc.contractId}/preview?${new URLSearchParams({ doc: doc.id, v: String(doc.latestVersion), name: doc.name })}`}
                      aria-label={`Preview ${doc.name}`}
                    >
                      Preview
                    </ButtonLink>
                  )}
                  {doc.latest.extraction.status === 'done' && (
                    <Button small onClick={() => setReading(doc)} aria-label={`Text of ${doc.name}`}>
                      Text
                    </Button>
                  )}
                  {doc.latestVersion > 1 && (
                    <Button small onClick={() => setVersions(doc)} aria-label={`Versions of ${doc.name}`}>
                      Versions
                    </Button>
                  )}
                  {doc.latestVersion > 1 && (
                    <Button small onClick={() => setComparing(doc)} aria-label={`Compare versions of ${doc.name}`}>
                      Compare
                    </Button>
                  )}
                  <DownloadButton document={doc} />
                </span>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {comparing && <ComparePanel document={comparing} onClose={() => setComparing(null)} />}
      {reading && <TextPanel document={reading} onClose={() => setReading(null)} />}
      {versions && <VersionsPanel document={versions} onClose={() => setVersions(null)} />}
    </>
  );
}

function DownloadButton({ document: doc }: { document: ContractDocument }) {
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  async function download() {
    setBusy(true);
    try {
      await downloadFile(doc.latest.contentUrl, doc.latest.filename);
    } catch (error) {
      toast({
        title: 'Download failed',
        description: error instanceof Error ? error.message : undefined,
        tone: 'danger',
      });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button small busy={busy} onClick={download} aria-label={`Download ${doc.name}`}>
      Download
    </Button>
  );
}

/** Two versions of one document as a redline (the server's word-level comparison). */
function ComparePanel({ document: doc, onClose }: { document: ContractDocument; onClose: () => void }) {
  const [from, setFrom] = useState(doc.latestVersion - 1);
  const [to, setTo] = useState(doc.latestVersion);
  const versions = Array.from({ length: doc.latestVersion }, (_, i) => i + 1);
  const comparison = useQuery({
    queryKey: queryKeys.contracts.compare(doc.contractId, doc.id, from, to),
    enabled: from !== to,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/contracts/{id}/documents/{docId}/versions/{a}/compare/{b}', {
          params: { path: { id: doc.contractId, docId: doc.id, a: String(from), b: String(to) } },
          signal,
        }),
      ),
  });
  return (
    <section className={layout.card} aria-label={`Changes in ${doc.name}`}>
      <div className={layout.spread}>
        <h3>Changes in {doc.name}</h3>
        <Button small onClick={onClose}>
          Close
        </Button>
      </div>
      <div className={layout.row}>
        <Field label="From version">
          {(c) => (
            <select {...c} value={from} onChange={(e) => setFrom(Number(e.target.value))}>
              {versions.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="To version">
          {(c) => (
            <select {...c} value={to} onChange={(e) => setTo(Number(e.target.value))}>
              {versions.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {from === to ? (
        <p>Choose two different versions.</p>
      ) : comparison.isPending ? (
        <Loading what="the comparison" />
      ) : comparison.isError ? (
        <ErrorState error={comparison.error} onRetry={() => void comparison.refetch()} />
      ) : (
        <Redline comparison={comparison.data} />
      )}
    </section>
  );
}

/** Every version of one document, newest first, each downloadable. */
function VersionsPanel({ document: doc, onClose }: { document: ContractDocument; onClose: () => void }) {
  const format = useFormat();
  const toast = useToast();
  const detail = useQuery({
    queryKey: [...queryKeys.contracts.documents(doc.contractId), doc.id],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/contracts/{id}/documents/{docId}', {
          params: { path: { id: doc.contractId, docId: doc.id } },
          signal,
        }),
      ),
  });
  const list = [...(detail.data?.versions ?? [])].sort((a, b) => b.version - a.version);
  return (
    <section className={layout.card} aria-label={`Versions of ${doc.name}`}>
      <div className={layout.spread}>
        <h3>Versions of {doc.name}</h3>
        <Button small onClick={onClose}>
          Close
        </Button>
      </div>
      {detail.isPending ? (
        <Loading what="versions" />
      ) : detail.isError ? (
        <ErrorState error={detail.error} />
      ) : (
        <Table aria-label={`Versions of ${doc.name}`}>
          <thead>
            <tr>
              <Th numeric>Version</Th>
              <Th>File</Th>
              <Th numeric>Size</Th>
              <Th>Uploaded</Th>
              <Th>
                <span className="visually-hidden">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.version}>
                <Td numeric>{v.version}</Td>
                <Td>{v.filename}</Td>
                <Td numeric>{formatBytes(v.size, format.locale)}</Td>
                <Td>{format.instant(v.uploadedAt)}</Td>
                <Td>
                  <Button
                    small
                    aria-label={`Download version ${v.version}`}
                    onClick={() =>
                      downloadFile(v.contentUrl, v.filename).catch((error: unknown) =>
                        toast({ title: 'Download failed', description: error instanceof Error ? error.message : undefined, tone: 'danger' }),
                      )
                    }
                  >
                    Download
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

/** The text the server extracted from the latest version. */
function TextPanel({ document: doc, onClose }: { document: ContractDocument; onClose: () => void }) {
  const text = useQuery({
    queryKey: ['contracts', 'detail', doc.contractId, 'text', doc.id, doc.latestVersion],
    queryFn: async ({ signal }) => {
      const response = await authorizedFetch(
        new Request(
          new URL(`/api/v1/contracts/${doc.contractId}/documents/${doc.id}/versions/${doc.latestVersion}/text`, location.origin),
          { signal },
        ),
      );
      if (!response.ok) throw problemFrom(response.status, await response.json().catch(() => undefined));
      return response.text();
    },
  });
  return (
    <section className={layout.card} aria-label={`Text of ${doc.name}`}>
      <div className={layout.spread}>
        <h3>Extracted text of {doc.name}</h3>
        <Button small onClick={onClose}>
          Close
        </Button>
      </div>
      {text.isPending ? (
        <Loading what="the text" />
      ) : text.isError ? (
        <ErrorState error={text.error} />
      ) : (
        <pre className={docStyles.text} tabIndex={0}>{text.data}</pre>
      )}
    </section>
  );
}

function UploadForm({ contractId }: { contractId: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const fileInput = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<DocumentKind>('attachment');
  const [progress, setProgress] = useState<number | undefined>();
  const [error, setError] = useState<unknown>();
  const [over, setOver] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    await send(fileInput.current?.files?.[0]);
  }

  function handleDrop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void send(file);
  }

  async function send(file: File | undefined) {
    if (!file) {
      setError(new Error('Choose a file to upload.'));
      return;
    }
    setError(undefined);
    setProgress(0);
    try {
      const uploaded = await uploadDocument({ contractId, file, kind, onProgress: setProgress });
      toast({ title: 'Document uploaded', description: uploaded.name, tone: 'success' });
      if (fileInput.current) fileInput.current.value = '';
      await queryClient.invalidateQueries({ queryKey: queryKeys.contracts.documents(contractId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.detail(contractId) });
    } catch (e) {
      setError(e);
    } finally {
      setProgress(undefined);
    }
  }

  return (
    <form
      className={`${styles.upload} ${docStyles.dropzone}`}
      data-over={over}
      onSubmit={handleSubmit}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={handleDrop}
      aria-label="Upload a document"
    >
      <p className={`${layout.muted} ${docStyles.full}`}>
        Drop a file here, or choose one. A file with the name of an existing document becomes its
        next version.
      </p>
      <Field label="File" hint="PDF, Word, ODT, RTF, text, Markdown, PNG or JPEG">
        {(control) => <input {...control} ref={fileInput} type="file" name="file" />}
      </Field>
      <Field label="Kind">
        {(control) => (
          <select {...control} value={kind} onChange={(e) => setKind(e.target.value as DocumentKind)}>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Button type="submit" variant="primary" busy={progress !== undefined}>
        Upload
      </Button>
      {progress !== undefined && (
        <progress className={uiStyles.progress} max={1} value={progress} aria-label="Upload progress">
          {Math.round(progress * 100)}%
        </progress>
      )}
      {error !== undefined && (
        <div className={docStyles.full}>
          <ErrorState error={error} />
        </div>
      )}
    </form>
  );
}
