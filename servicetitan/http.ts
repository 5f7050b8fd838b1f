import type { z } from 'zod';
import type { TokenProvider } from './auth.js';
import type { ServiceTitanConfig } from './config.js';
import {
  apiErrorBodySchema,
  DEFAULT_RETRY_AFTER_MS,
  errorFromInvalidResponse,
  errorFromNetworkFailure,
  errorFromResponse,
  parseRetryAfter,
  ServiceTitanError,
} from './errors.js';
import type { FetchLike, FetchResponse } from './fetch.js';
import type { RateLimiter } from './rate-limiter.js';

/** The v2 API modules this client talks to (first path segment). */
export type ServiceTitanModule =
  | 'crm'
  | 'settings'
  | 'marketing'
  | 'jpm'
  | 'dispatch'
  | 'pricebook'
  | 'accounting';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A query parameter ServiceTitan expects repeated (`statuses=A&statuses=B`) rather than comma-joined. */
export class RepeatedParam {
  constructor(readonly values: readonly (string | number)[]) {}
}

export function repeated(values: readonly (string | number)[]): RepeatedParam {
  return new RepeatedParam(values);
}

/**
 * Arrays are joined with commas, which is what ServiceTitan's string-typed list filters
 * (`ids`, `externalDataValues`, `appliedToInvoiceIds`…) expect; `null`/`undefined` are left out.
 */
export type QueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly (string | number)[]
  | RepeatedParam;
export type Query = Record<string, QueryValue>;

/** Pino-compatible; the client logs operations, statuses and timings, never bodies or secrets. */
export interface ServiceTitanLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RequestSpec {
  method: HttpMethod;
  module: ServiceTitanModule;
  /** Path after `/tenant/{tenant}/`, with `{name}` placeholders, e.g. `customers/{id}/tags/{tagTypeId}`. */
  path: string;
  pathParams?: Record<string, string | number>;
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** What the call is about, for error sentences: "the job", "customer 123". */
  subject: string;
  /** Cancels the call (e.g. an activity's cancellation signal); the timeout applies regardless. */
  signal?: AbortSignal | undefined;
}

export interface HttpDeps {
  config: ServiceTitanConfig;
  apiUrl: string;
  fetch: FetchLike;
  tokens: TokenProvider;
  limiter: RateLimiter;
  logger?: ServiceTitanLogger | undefined;
  /**
   * How many times a 429 is retried here after waiting out `Retry-After` (default 3). A 429 means
   * ServiceTitan did nothing, so retrying is safe even for creates.
   */
  maxRateLimitRetries?: number;
}

/**
 * Sends one ServiceTitan call: rate limit, token, timeout, the single 401 refresh-and-retry, 429
 * back-off, error classification and response parsing. Everything else is in the area modules.
 */
export class ServiceTitanHttp {
  private readonly maxRateLimitRetries: number;

  constructor(private readonly deps: HttpDeps) {
    this.maxRateLimitRetries = deps.maxRateLimitRetries ?? 3;
  }

  get tenantId(): number {
    return this.deps.config.tenantId;
  }

  /** Calls ServiceTitan and parses the answer with `schema`. */
  async request<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.output<S>> {
    const { response, text, operation } = await this.send(spec);
    const json = parseJson(text);
    if (json === INVALID_JSON) {
      throw errorFromInvalidResponse(
        operation,
        spec.subject,
        response.status,
        undefined,
        text.trim() === '' ? 'the body is empty' : 'the body is not valid JSON',
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw errorFromInvalidResponse(operation, spec.subject, response.status, parsed.error.issues);
    }
    return parsed.data;
  }

  /** Calls ServiceTitan for an action whose answer carries nothing we use (200 with an empty body). */
  async requestVoid(spec: RequestSpec): Promise<void> {
    await this.send(spec);
  }

  /** `{module}/v2/tenant/{tenant}/{path}` as written in the spec, for messages and logs. */
  operationOf(spec: Pick<RequestSpec, 'method' | 'module' | 'path'>): string {
    return `${spec.method} /${spec.module}/v2/tenant/{tenant}/${spec.path}`;
  }

  private url(spec: RequestSpec): string {
    const path = spec.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = spec.pathParams?.[name];
      if (value === undefined) throw new Error(`missing path parameter ${name} for ${spec.path}`);
      return encodeURIComponent(String(value));
    });
    const base = `${this.deps.apiUrl}/${spec.module}/v2/tenant/${this.deps.config.tenantId}/${path}`;
    const query = serializeQuery(spec.query);
    return query === '' ? base : `${base}?${query}`;
  }

  private async send(
    spec: RequestSpec,
  ): Promise<{ response: FetchResponse; text: string; operation: string }> {
    const { config, tokens, limiter, logger } = this.deps;
    const operation = this.operationOf(spec);
    const url = this.url(spec);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    let refreshedAfter401 = false;
    let rateLimitRetries = 0;
    let networkRetried = false;
    let readRetries = 0;

    for (let attempt = 1; ; attempt += 1) {
      spec.signal?.throwIfAborted();
      await limiter.acquire();
      const token = await tokens.getToken();
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        'st-app-key': config.appKey,
        accept: 'application/json',
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const timeout = AbortSignal.timeout(config.requestTimeoutMs);
      const signal = spec.signal ? AbortSignal.any([timeout, spec.signal]) : timeout;
      const started = Date.now();

      let response: FetchResponse;
      let text: string;
      try {
        response = await this.deps.fetch(url, { method: spec.method, headers, body, signal });
        text = await response.text();
      } catch (cause) {
        // The caller cancelled: surface their reason untouched, it is not a ServiceTitan failure.
        if (spec.signal?.aborted) throw spec.signal.reason;
        const error = errorFromNetworkFailure(
          operation,
          spec.subject,
          hostOf(url),
          cause,
          config.requestTimeoutMs,
        );
        // A GET on a keep-alive socket the server just closed fails instantly; one more try is free
        // and cannot duplicate anything. Writes are left to the caller's retry policy.
        if (spec.method === 'GET' && error.code === 'network' && !networkRetried) {
          networkRetried = true;
          logger?.warn(
            { operation, attempt, err: error.plainMessage },
            'ServiceTitan GET failed on the network; retrying once',
          );
          continue;
        }
        throw error;
      }

      const status = response.status;
      logger?.debug({ operation, status, attempt, durationMs: Date.now() - started }, 'ServiceTitan call');
      if (status >= 200 && status < 300) return { response, text, operation };

      if (status === 401 && !refreshedAfter401) {
        // Expired or revoked token: one refresh, one retry. A second 401 means the credentials are wrong.
        refreshedAfter401 = true;
        tokens.invalidate(token);
        logger?.warn(
          { operation, attempt },
          'ServiceTitan answered 401; refreshing the token and retrying once',
        );
        continue;
      }

      if (spec.method === 'GET' && status >= 500 && readRetries < MAX_READ_RETRIES) {
        // A read cannot duplicate anything: a short in-place retry is far cheaper than failing the
        // whole activity (which would redo every call before this one).
        readRetries += 1;
        logger?.warn({ operation, attempt, status }, 'ServiceTitan GET failed with a server error; retrying');
        await delay(READ_RETRY_BASE_MS * 2 ** (readRetries - 1));
        continue;
      }

      const retryAfterMs =
        status === 429
          ? (parseRetryAfter(response.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS)
          : undefined;
      if (retryAfterMs !== undefined) {
        // Everyone on this (app key, tenant) waits, not just this call.
        limiter.pause(retryAfterMs);
        if (rateLimitRetries < this.maxRateLimitRetries) {
          rateLimitRetries += 1;
          logger?.warn(
            { operation, attempt, retryAfterMs },
            'ServiceTitan answered 429; waiting and retrying',
          );
          continue;
        }
      }

      throw errorFromResponse({
        operation,
        subject: spec.subject,
        status,
        body: apiErrorBodySchema.safeParse(parseJson(text)).data,
        rawText: text,
        retryAfterMs,
        tenantId: config.tenantId,
      });
    }
  }
}

/** In-place retries of a GET answered with a 5xx, with backoff from READ_RETRY_BASE_MS. */
const MAX_READ_RETRIES = 2;
const READ_RETRY_BASE_MS = 200;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const INVALID_JSON = Symbol('invalid-json');

function parseJson(text: string): unknown {
  if (text.trim() === '') return INVALID_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

export function serializeQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (value instanceof RepeatedParam) {
      for (const item of value.values) params.append(name, String(item));
    } else if (Array.isArray(value)) {
      if (value.length > 0) params.append(name, value.join(','));
    } else {
      params.append(name, String(value));
    }
  }
  return params.toString();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Thrown by operations that refuse to call ServiceTitan with arguments that cannot be right. */
export function invalidArgument(operation: string, plainMessage: string): ServiceTitanError {
  return new ServiceTitanError({ operation, kind: 'permanent', code: 'validation', plainMessage });
}
