// SPDX-License-Identifier: AGPL-3.0-or-later
// The in-page PDF preview. This module (and pdf.js with it) is its own chunk, loaded only when
// a preview is opened; pdf.js's worker is a hashed asset of our own origin (the CSP allows
// only 'self'), and eval is off.
import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { authorizedFetch } from '../api/client';
import { versionContentUrl } from '../api/download';
import { problemFrom } from '../api/problem';
import { Button } from '../ui/Button';
import { Loading } from '../ui/Spinner';
import { ErrorState } from '../ui/States';
import layout from '../ui/layout.module.css';
import styles from './Documents.module.css';

GlobalWorkerOptions.workerSrc = workerUrl;

export default function PreviewTab({ contractId }: { contractId: string }) {
  const [search] = useSearchParams();
  const { contractId: routeId } = useParams();
  const documentId = search.get('doc') ?? '';
  const version = Number(search.get('v') ?? '1');
  const name = search.get('name') ?? 'Document';
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<unknown>();
  const [page, setPage] = useState(1);

  useEffect(() => {
    let cancelled = false;
    let loaded: PDFDocumentProxy | null = null;
    setPdf(null);
    setError(undefined);
    (async () => {
      const response = await authorizedFetch(
        new Request(new URL(`${versionContentUrl(contractId, documentId, version)}?disposition=inline`, location.origin)),
      );
      if (!response.ok) throw problemFrom(response.status, await response.json().catch(() => undefined));
      const data = new Uint8Array(await response.arrayBuffer());
      loaded = await getDocument({ data, isEvalSupported: false }).promise;
      if (cancelled) void loaded.destroy();
      else {
        setPdf(loaded);
        setPage(1);
      }
    })().catch((e: unknown) => {
      if (!cancelled) setError(e);
    });
    return () => {
      cancelled = true;
      void loaded?.destroy();
    };
  }, [contractId, documentId, version]);

  return (
    <div className={layout.stack}>
      <div className={layout.spread}>
        <h2>
          Preview: {name} (version {version})
        </h2>
        <Link to={`/contracts/${routeId ?? contractId}/documents`}>Back to documents</Link>
      </div>
      {error !== undefined ? (
        <ErrorState error={error} />
      ) : !pdf ? (
        <Loading what="the PDF" />
      ) : (
        <>
          <div className={layout.row} role="group" aria-label="Pages">
            <Button small disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
              Previous page
            </Button>
            <span aria-live="polite">
              Page {page} of {pdf.numPages}
            </span>
            <Button small disabled={page >= pdf.numPages} onClick={() => setPage((p) => p + 1)}>
              Next page
            </Button>
          </div>
          <PdfPage pdf={pdf} pageNumber={page} />
        </>
      )}
    </div>
  );
}

function PdfPage({ pdf, pageNumber }: { pdf: PDFDocumentProxy; pageNumber: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [text, setText] = useState('');
  useEffect(() => {
    let task: { cancel: () => void } | undefined;
    let cancelled = false;
    void (async () => {
      const page = await pdf.getPage(pageNumber);
      if (cancelled || !canvas.current) return;
      const viewport = page.getViewport({ scale: 1.4 });
      const ratio = window.devicePixelRatio || 1;
      canvas.current.width = Math.floor(viewport.width * ratio);
      canvas.current.height = Math.floor(viewport.height * ratio);
      const render = page.render({
        canvas: canvas.current,
        viewport,
        transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined,
      });
      task = render;
      await render.promise.catch(() => undefined);
      const content = await page.getTextContent();
      if (!cancelled)
        setText(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, pageNumber]);
  return (
    <div className={styles.pages}>
      <canvas ref={canvas} role="img" aria-label={`Page ${pageNumber}${text ? `: ${text.slice(0, 300)}` : ''}`} />
    </div>
  );
}
