import { type AccountingApi, createAccountingApi } from './accounting.js';
import type { ApiContext, CallOptions } from './api-context.js';
import { TokenProvider } from './auth.js';
import {
  parseServiceTitanConfig,
  resolveEndpoints,
  type ServiceTitanConfig,
  type ServiceTitanConfigInput,
  type ServiceTitanEndpoints,
} from './config.js';
import { type CrmApi, createCrmApi } from './crm.js';
import { createDispatchApi, type DispatchApi } from './dispatch.js';
import {
  type ExternalDataCreate,
  type ExternalDataQuery,
  type ExternalDataUpdate,
  externalDataFilter,
  externalDataFor,
  externalDataMerge,
} from './external-data.js';
import { type FetchLike, keepAliveFetch } from './fetch.js';
import { ServiceTitanHttp, type ServiceTitanLogger } from './http.js';
import { createJpmApi, type JpmApi } from './jpm.js';
import { createMarketingApi, type MarketingApi } from './marketing.js';
import { createPricebookApi, type PricebookApi } from './pricebook.js';
import { getRateLimiter, type RateLimiter } from './rate-limiter.js';
import { createSettingsApi, type SettingsApi } from './settings.js';

export interface ServiceTitanClientOptions {
  /** Replaces the keep-alive undici fetch (tests, proxies). */
  fetch?: FetchLike;
  /** Pino-compatible; receives operation names, statuses and timings only. */
  logger?: ServiceTitanLogger;
  /** How many 429s one call waits out before throwing a transient error (default 3). */
  maxRateLimitRetries?: number;
}

/** A typed client for one ServiceTitan tenant; see {@link createServiceTitanClient}. */
export interface ServiceTitanClient {
  /** The parsed configuration without the client secret (safe to log). */
  readonly config: Readonly<Omit<ServiceTitanConfig, 'clientSecret'>>;
  readonly endpoints: Readonly<ServiceTitanEndpoints>;
  /** The limiter shared by every client of this app key and tenant (`stats()` shows the budget in use). */
  readonly rateLimiter: RateLimiter;
  readonly crm: CrmApi;
  readonly settings: SettingsApi;
  readonly marketing: MarketingApi;
  readonly jpm: JpmApi;
  readonly dispatch: DispatchApi;
  readonly pricebook: PricebookApi;
  readonly accounting: AccountingApi;
  /** `externalData` for a create body: `key = value` under the product's application GUID. */
  externalDataFor(key: string, value: string): ExternalDataCreate;
  /** List filter for entities carrying `key` with any of `values` (1–50, no commas) under the product's GUID. */
  externalDataFilter(key: string, values: string | readonly string[]): Required<ExternalDataQuery>;
  /** `externalData` for a PATCH body that sets (or with `null` removes) keys, keeping the others. */
  externalDataMerge(entries: Record<string, string | null>): ExternalDataUpdate;
  /**
   * Proves the configuration works end to end: credentials (token), app key, tenant id and read
   * access. Throws a `ServiceTitanError` whose `plainMessage` says what to fix.
   */
  checkConnection(options?: CallOptions): Promise<void>;
}

/**
 * A typed client for one ServiceTitan tenant. Cheap to create: the token cache, the rate limiter
 * (per app key and tenant) and the connection pool are shared process-wide, so creating a client
 * per activity call costs nothing.
 */
export function createServiceTitanClient(
  configInput: ServiceTitanConfigInput | ServiceTitanConfig,
  options: ServiceTitanClientOptions = {},
): ServiceTitanClient {
  const config = parseServiceTitanConfig(configInput);
  const endpoints = resolveEndpoints(config);
  const fetch = options.fetch ?? keepAliveFetch;
  const tokens = new TokenProvider({
    tokenUrl: endpoints.tokenUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    tenantId: config.tenantId,
    fetch,
    timeoutMs: config.requestTimeoutMs,
  });
  const rateLimiter = getRateLimiter(config.appKey, config.tenantId, config.rateLimitPerSecond);
  const http = new ServiceTitanHttp({
    config,
    apiUrl: endpoints.apiUrl,
    fetch,
    tokens,
    limiter: rateLimiter,
    logger: options.logger,
    maxRateLimitRetries: options.maxRateLimitRetries,
  });
  const context: ApiContext = { http, applicationGuid: config.applicationGuid };
  const settings = createSettingsApi(context);
  const { clientSecret: _secret, ...publicConfig } = config;

  return {
    config: publicConfig,
    endpoints,
    rateLimiter,

    crm: createCrmApi(context),
    settings,
    marketing: createMarketingApi(context),
    jpm: createJpmApi(context),
    dispatch: createDispatchApi(context),
    pricebook: createPricebookApi(context),
    accounting: createAccountingApi(context),

    externalDataFor(key: string, value: string): ExternalDataCreate {
      return externalDataFor(config.applicationGuid, key, value);
    },

    externalDataFilter(key: string, values: string | readonly string[]) {
      return externalDataFilter(config.applicationGuid, key, values);
    },

    externalDataMerge(entries: Record<string, string | null>): ExternalDataUpdate {
      return externalDataMerge(config.applicationGuid, entries);
    },

    async checkConnection(callOptions?: CallOptions): Promise<void> {
      await tokens.getToken();
      await settings.businessUnits.list({ pageSize: 1 }, callOptions);
    },
  };
}
