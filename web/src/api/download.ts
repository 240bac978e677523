// SPDX-License-Identifier: AGPL-3.0-or-later
// Downloads need the bearer token, which a plain link cannot send: fetch the bytes, then hand
// them to the browser as a file through a Blob URL.
import { authorizedFetch } from './client';
import { problemFrom } from './problem';

/** Fetches `url` (same origin) with the session and saves the answer as `filename`. */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const response = await authorizedFetch(new Request(new URL(url, location.origin)));
  if (!response.ok) throw problemFrom(response.status, await response.json().catch(() => undefined));
  const filename = filenameFrom(response.headers.get('Content-Disposition')) ?? fallbackName;
  const blobUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = blobUrl;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(blobUrl), 10_000);
}

/** The file name of a Content-Disposition header (RFC 6266: `filename*` wins). */
export function filenameFrom(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim();
}

export const versionContentUrl = (contractId: string, documentId: string, version: number) =>
  `/api/v1/contracts/${encodeURIComponent(contractId)}/documents/${encodeURIComponent(documentId)}/versions/${version}/content`;
