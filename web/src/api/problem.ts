// SPDX-License-Identifier: AGPL-3.0-or-later
// RFC 9457 problem details, as every API error is answered (docs/API.md).

export interface FieldError {
  /** Server path of the field, e.g. `title`, `value.amount`, `parties[0].role`. */
  field: string;
  message: string;
}

/** An error answered by the API (or the network), thrown by every API call. */
export class ApiProblem extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  /** The whole problem document, for problem-specific members (`currentStatus`, ...). */
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    const title = typeof body.title === 'string' ? body.title : `Request failed (${status})`;
    super(title);
    this.name = 'ApiProblem';
    this.status = status;
    this.type = typeof body.type === 'string' ? body.type : 'about:blank';
    this.title = title;
    this.detail = typeof body.detail === 'string' ? body.detail : undefined;
    this.errors = Array.isArray(body.errors) ? body.errors.filter(isFieldError) : [];
    this.body = body;
  }

  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

function isFieldError(value: unknown): value is FieldError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldError).field === 'string' &&
    typeof (value as FieldError).message === 'string'
  );
}

/** Builds an ApiProblem from whatever a failed response carried (a proxy may answer HTML). */
export function problemFrom(status: number, body: unknown): ApiProblem {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    return new ApiProblem(status, body as Record<string, unknown>);
  }
  return new ApiProblem(status, {
    title: status === 0 ? 'The server could not be reached' : `Request failed (${status})`,
    detail: typeof body === 'string' && body.length < 300 ? body : undefined,
  });
}

export const networkProblem = () =>
  new ApiProblem(0, {
    type: '/problems/network',
    title: 'The server could not be reached',
    detail: 'Check your connection and try again.',
  });

export function isProblem(error: unknown, status?: number): error is ApiProblem {
  return error instanceof ApiProblem && (status === undefined || error.status === status);
}

/**
 * Converts a server field path (`parties[0].role`) to a react-hook-form path (`parties.0.role`).
 */
export function toFormPath(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1');
}
