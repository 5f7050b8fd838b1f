import type { Query, ServiceTitanHttp } from './http.js';

/** What every API area module is built from. */
export interface ApiContext {
  http: ServiceTitanHttp;
  /** The product's externalData GUID (config `applicationGuid`). */
  applicationGuid: string;
}

/** Per-call options every operation accepts. */
export interface CallOptions {
  /** Cancels the call (pass an activity's cancellation signal). */
  signal?: AbortSignal;
}

/**
 * Query interfaces are plain objects whose values are already wire-compatible; this widens them to
 * the transport's `Query` type (interfaces have no index signature, so TypeScript will not do it).
 */
export function asQuery(query: object | undefined): Query {
  return (query ?? {}) as Query;
}
