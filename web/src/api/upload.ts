// SPDX-License-Identifier: AGPL-3.0-or-later
// Document upload through XMLHttpRequest, because fetch reports no upload progress.
import type { ContractDocument, DocumentKind } from './models';
import { expireSession, getAccessToken, refreshAccessToken } from './session';
import { networkProblem, problemFrom } from './problem';

export interface UploadOptions {
  contractId: string;
  file: File;
  kind: DocumentKind;
  /** Called with 0..1 as the body is sent. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

function sendOnce(options: UploadOptions, token: string | undefined) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/contracts/${encodeURIComponent(options.contractId)}/documents`);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(networkProblem());
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', options.file, options.file.name);
    form.append('kind', options.kind);
    xhr.send(form);
  });
}

/** Uploads a file; the same name adds a version (200), a new name a document (201). */
export async function uploadDocument(options: UploadOptions): Promise<ContractDocument> {
  let result = await sendOnce(options, getAccessToken());
  if (result.status === 401 && (await refreshAccessToken())) {
    result = await sendOnce(options, getAccessToken());
  }
  if (result.status === 401) expireSession();
  if (result.status < 200 || result.status >= 300) throw problemFrom(result.status, result.body);
  return result.body as ContractDocument;
}
