// The typed ServiceTitan client: everything activities and the API need, nothing from the sandbox.

export * from './accounting.js';
export type { CallOptions } from './api-context.js';
export { clearTokenCache, TokenProvider } from './auth.js';
export {
  createServiceTitanClient,
  type ServiceTitanClient,
  type ServiceTitanClientOptions,
} from './client.js';
export {
  type ActiveFilter,
  type Address,
  type AddressResponse,
  type ChangeRangeQuery,
  chunkIds,
  decimalInputSchema,
  MAX_IDS_PER_CALL,
  moneyStringSchema,
} from './common.js';
export * from './config.js';
export * from './crm.js';
export * from './dispatch.js';
export * from './errors.js';
export * from './external-data.js';
export { closeKeepAliveConnections, type FetchInit, type FetchLike, type FetchResponse } from './fetch.js';
export { type Query, repeated, type ServiceTitanLogger, type ServiceTitanModule } from './http.js';
export * from './jpm.js';
export * from './marketing.js';
export {
  type CollectOptions,
  collectAll,
  iterateItems,
  iteratePages,
  MAX_PAGE_SIZE,
  type Page,
  type PagedList,
  type PageQuery,
} from './paging.js';
export * from './pricebook.js';
export { getRateLimiter, RateLimiter, type RateLimiterStats, resetRateLimiters } from './rate-limiter.js';
export * from './settings.js';
