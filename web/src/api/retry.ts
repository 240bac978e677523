// SPDX-License-Identifier: AGPL-3.0-or-later
// Riding out a server that is away for a moment (a deploy, a restart): a click then shows its
// screen a few seconds late instead of an error page.
import { isProblem } from './problem';

/** Between attempts to fetch a screen's chunk: about 15 s in all, as long as a restart takes. */
const chunkRetryDelaysMs = [500, 1_000, 2_000, 4_000, 8_000];

/** Wraps a dynamic import so that it is tried again, after a pause, while it fails. */
export function withRetry<T>(load: () => Promise<T>, delaysMs: readonly number[] = chunkRetryDelaysMs): () => Promise<T> {
  return async () => {
    for (const delayMs of delaysMs) {
      try {
        return await load();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    return load();
  };
}

/**
 * Whether a failed read is worth another try. A 4xx will answer the same; an unreachable or
 * unavailable server (0, 502–504) is tried for longer than another 5xx, since it is usually
 * a server restarting. TanStack Query waits 1, 2, 4, 8 s between tries.
 */
export function shouldRetryRead(failureCount: number, error: unknown): boolean {
  if (isProblem(error) && error.isClientError) return false;
  const unreachable = !isProblem(error) || error.status === 0 || (error.status >= 502 && error.status <= 504);
  return failureCount < (unreachable ? 4 : 2);
}
