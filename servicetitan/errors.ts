import { z } from 'zod';

/**
 * ServiceTitan's error body (`ApiErrorResponse` in every spec): RFC 7807 style with a `traceId` and
 * a map of field name → messages. Parsed loosely because 401/403/5xx answers often carry another
 * shape (or none at all).
 */
export const apiErrorBodySchema = z.looseObject({
  type: z.string().nullish(),
  title: z.string().nullish(),
  status: z.number().nullish(),
  traceId: z.string().nullish(),
  errors: z.record(z.string(), z.array(z.string())).nullish().catch(undefined),
  data: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  /** OAuth token endpoint errors (`{"error":"invalid_client"}`) use these two instead. */
  error: z.string().nullish(),
  error_description: z.string().nullish(),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** Whether retrying the same call later can succeed. */
export type ServiceTitanErrorKind = 'transient' | 'permanent';

/**
 * Why the call failed, for code that branches on it (activities map it to an `ApplicationFailure`
 * type) and for metrics.
 */
export type ServiceTitanErrorCode =
  | 'network'
  | 'timeout'
  | 'server-error'
  | 'rate-limited'
  | 'unauthorized'
  | 'invalid-credentials'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'validation'
  | 'invalid-response'
  | 'too-many-results'
  | 'unexpected-status';

export interface ServiceTitanErrorInit {
  kind: ServiceTitanErrorKind;
  code: ServiceTitanErrorCode;
  operation: string;
  plainMessage: string;
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  body?: ApiErrorBody | undefined;
  cause?: unknown;
}

/**
 * Every failure the client throws. `kind` says whether to retry; `plainMessage` is a sentence an
 * operator can act on; `body` keeps ServiceTitan's own error (title, field errors, traceId) for support.
 */
export class ServiceTitanError extends Error {
  override readonly name = 'ServiceTitanError';
  readonly kind: ServiceTitanErrorKind;
  readonly code: ServiceTitanErrorCode;
  /** HTTP status, absent for network errors and timeouts. */
  readonly status: number | undefined;
  /** How long ServiceTitan asked us to wait (429 `Retry-After`), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  readonly body: ApiErrorBody | undefined;
  /** Method and path template, e.g. `POST /jpm/v2/tenant/{tenant}/jobs`. */
  readonly operation: string;
  readonly plainMessage: string;

  constructor(init: ServiceTitanErrorInit) {
    const statusPart = init.status === undefined ? '' : ` → ${init.status}`;
    super(`${init.plainMessage} [${init.operation}${statusPart}]`, { cause: init.cause });
    this.kind = init.kind;
    this.code = init.code;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
    this.operation = init.operation;
    this.plainMessage = init.plainMessage;
  }

  get transient(): boolean {
    return this.kind === 'transient';
  }

  get traceId(): string | undefined {
    return this.body?.traceId ?? undefined;
  }

  /** A plain object for logs and Temporal failure details (no stack, no secrets). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      code: this.code,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      operation: this.operation,
      plainMessage: this.plainMessage,
      body: this.body,
    };
  }
}

export function isServiceTitanError(value: unknown): value is ServiceTitanError {
  return value instanceof ServiceTitanError;
}

/** Used when a 429 carries no usable `Retry-After`, as clients in the wild do. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds,
 * never negative; `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** ST's field errors as one line: `BusinessUnitId — Business unit 99 not found; Priority — …`. */
export function describeFieldErrors(body: ApiErrorBody | undefined): string | undefined {
  const errors = body?.errors;
  if (!errors) return undefined;
  const parts: string[] = [];
  for (const [field, messages] of Object.entries(errors)) {
    const text = messages.filter((m) => m.trim() !== '').join(', ');
    if (text === '') continue;
    // ASP.NET puts body-level messages under "" or "$"; a field name adds nothing there.
    parts.push(field === '' || field === '$' ? text : `${field} — ${text}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function traceSuffix(body: ApiErrorBody | undefined): string {
  return body?.traceId ? ` (trace ${body.traceId})` : '';
}

function bodyDetail(body: ApiErrorBody | undefined, rawText: string): string | undefined {
  const fields = describeFieldErrors(body);
  if (fields) return fields;
  const title = body?.title ?? body?.error_description ?? body?.error;
  if (title) return title;
  // Some 4xx answers are plain text (e.g. the app-key message); keep a short excerpt.
  const trimmed = rawText.trim();
  if (trimmed !== '' && !trimmed.startsWith('{') && !trimmed.startsWith('<')) return trimmed.slice(0, 300);
  return undefined;
}

export interface HttpFailure {
  operation: string;
  /** What the call was about, used in sentences: "the job", "customer 123". */
  subject: string;
  status: number;
  body: ApiErrorBody | undefined;
  rawText: string;
  retryAfterMs?: number | undefined;
  tenantId: number;
}

/** Turns a non-2xx answer into a classified error with a sentence an operator understands. */
export function errorFromResponse(failure: HttpFailure): ServiceTitanError {
  const { operation, subject, status, body, rawText, tenantId } = failure;
  const detail = bodyDetail(body, rawText);
  const withDetail = (sentence: string) => `${sentence}${detail ? `: ${detail}` : ''}${traceSuffix(body)}`;
  const base = { operation, status, body };

  if (status === 429) {
    const retryAfterMs = failure.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    return new ServiceTitanError({
      ...base,
      kind: 'transient',
      code: 'rate-limited',
      retryAfterMs,
      plainMessage: `ServiceTitan is rate-limiting this app for tenant ${tenantId}; retry after ${formatSeconds(retryAfterMs)}`,
    });
  }
  if (status >= 500 || status === 408) {
    return new ServiceTitanError({
      ...base,
      kind: 'transient',
      code: 'server-error',
      plainMessage: withDetail(
        `ServiceTitan failed while handling ${subject} (HTTP ${status}); it is worth retrying`,
      ),
    });
  }
  if (status === 401) {
    return new ServiceTitanError({
      ...base,
      kind: 'permanent',
      code: 'unauthorized',
      plainMessage: withDetail(
        `ServiceTitan did not accept our credentials for tenant ${tenantId} even with a fresh token; check the app key and the client id/secret`,
      ),
    });
  }
  if (status === 403) {
    return new ServiceTitanError({
      ...base,
      kind: 'permanent',
      code: 'forbidden',
      plainMessage: withDetail(
        `ServiceTitan denied access to ${subject} for tenant ${tenantId}; the app is not connected to this tenant or lacks the permission (scope) for ${operation}`,
      ),
    });
  }
  if (status === 404) {
    return new ServiceTitanError({
      ...base,
      kind: 'permanent',
      code: 'not-found',
      plainMessage: withDetail(`ServiceTitan could not find ${subject}`),
    });
  }
  if (status === 409) {
    return new ServiceTitanError({
      ...base,
      kind: 'permanent',
      code: 'conflict',
      plainMessage: withDetail(`ServiceTitan refused ${subject} because it conflicts with existing data`),
    });
  }
  if (status === 400 || status === 422) {
    return new ServiceTitanError({
      ...base,
      kind: 'permanent',
      code: 'validation',
      plainMessage: withDetail(`ServiceTitan rejected ${subject}`),
    });
  }
  return new ServiceTitanError({
    ...base,
    kind: status >= 400 ? 'permanent' : 'transient',
    code: 'unexpected-status',
    plainMessage: withDetail(`ServiceTitan answered ${subject} with unexpected HTTP status ${status}`),
  });
}

/** Turns a failure to get an answer at all (socket error, DNS, timeout) into a transient error. */
export function errorFromNetworkFailure(
  operation: string,
  subject: string,
  host: string,
  cause: unknown,
  timeoutMs: number,
): ServiceTitanError {
  if (isTimeout(cause)) {
    return new ServiceTitanError({
      operation,
      kind: 'transient',
      code: 'timeout',
      cause,
      plainMessage: `ServiceTitan did not answer ${subject} within ${formatSeconds(timeoutMs)}; the call may or may not have taken effect`,
    });
  }
  const reason = networkReason(cause);
  return new ServiceTitanError({
    operation,
    kind: 'transient',
    code: 'network',
    cause,
    plainMessage: `Could not complete the call to ServiceTitan at ${host} for ${subject} (${reason}); the call may or may not have taken effect`,
  });
}

function isTimeout(cause: unknown): boolean {
  return cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'HeadersTimeoutError');
}

/** fetch wraps socket errors in `TypeError: fetch failed` with the useful part in `cause`. */
function networkReason(cause: unknown): string {
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return `${code}: ${current.message}`;
    if (!(current.cause instanceof Error)) return current.message;
    current = current.cause;
  }
  return String(cause);
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** A 2xx answer whose body does not have the shape we rely on: retrying will not change it. */
export function errorFromInvalidResponse(
  operation: string,
  subject: string,
  status: number,
  issues: readonly z.core.$ZodIssue[] | undefined,
  note?: string,
): ServiceTitanError {
  const first = issues?.[0];
  const where = first ? (first.path.length > 0 ? first.path.map(String).join('.') : '(root)') : undefined;
  const detail = first ? `field "${where}": ${first.message}` : (note ?? 'the body is not valid JSON');
  return new ServiceTitanError({
    operation,
    status,
    kind: 'permanent',
    code: 'invalid-response',
    plainMessage: `ServiceTitan's answer for ${subject} was not in the expected shape (${detail}); the client needs updating for this ServiceTitan version`,
  });
}
