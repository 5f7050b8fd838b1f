import { z } from 'zod';

/**
 * The externalData application GUID this product writes its markers under (store order, line,
 * subscription cycle). Fixed forever: changing it would hide every marker already written, and the
 * idempotency lookups would then create duplicates. Register the same GUID in the ServiceTitan
 * developer portal ("External Data Application GUID") for production apps.
 */
export const ORDER_SYNC_APPLICATION_GUID = '5f1c7d2e-8b3a-4c6e-9a41-0d2b7e9c3f58';

export const serviceTitanEnvironmentSchema = z.enum(['integration', 'production', 'sandbox']);
export type ServiceTitanEnvironment = z.infer<typeof serviceTitanEnvironmentSchema>;

/** ServiceTitan's own hosts (servicetitan-api.md §1.1). */
export const SERVICETITAN_HOSTS = {
  integration: {
    apiUrl: 'https://api-integration.servicetitan.io',
    authUrl: 'https://auth-integration.servicetitan.io',
  },
  production: { apiUrl: 'https://api.servicetitan.io', authUrl: 'https://auth.servicetitan.io' },
} as const;

const urlWithoutTrailingSlash = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

/**
 * How to reach one ServiceTitan tenant. `baseUrl`/`authUrl` override the environment's hosts;
 * `sandbox` requires `baseUrl` and serves the token endpoint from it too.
 */
export const serviceTitanConfigSchema = z
  .object({
    environment: serviceTitanEnvironmentSchema,
    /** Numeric tenant id (int64 in the spec; real ids fit a JS number). Numeric strings are accepted. */
    tenantId: z
      .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
      .pipe(z.number().int().positive()),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    appKey: z.string().min(1),
    baseUrl: urlWithoutTrailingSlash.optional(),
    authUrl: urlWithoutTrailingSlash.optional(),
    applicationGuid: z.guid().default(ORDER_SYNC_APPLICATION_GUID),
    /** Per call, including reading the body; ServiceTitan itself gives up at 100 s. */
    requestTimeoutMs: z.number().int().positive().default(30_000),
    /** ServiceTitan's default budget: 60 requests per second per app per tenant. */
    rateLimitPerSecond: z.number().positive().default(60),
  })
  .refine((config) => config.environment !== 'sandbox' || config.baseUrl !== undefined, {
    message: 'baseUrl is required when environment is "sandbox"',
    path: ['baseUrl'],
  });

/** What callers pass (defaults optional). */
export type ServiceTitanConfigInput = z.input<typeof serviceTitanConfigSchema>;
/** The parsed configuration, defaults applied. */
export type ServiceTitanConfig = z.output<typeof serviceTitanConfigSchema>;

export interface ServiceTitanEndpoints {
  /** e.g. `https://api-integration.servicetitan.io`; API paths are `{apiUrl}/{module}/v2/tenant/{tenant}/…`. */
  apiUrl: string;
  /** Full URL of the OAuth2 token endpoint. */
  tokenUrl: string;
}

/** Resolves the API base URL and the token URL for a parsed configuration. */
export function resolveEndpoints(config: ServiceTitanConfig): ServiceTitanEndpoints {
  if (config.environment === 'sandbox') {
    // Validated above; the sandbox serves both the API and `/connect/token`.
    const base = config.baseUrl ?? '';
    return { apiUrl: base, tokenUrl: tokenUrlFor(config.authUrl ?? base) };
  }
  const hosts = SERVICETITAN_HOSTS[config.environment];
  return {
    apiUrl: config.baseUrl ?? hosts.apiUrl,
    tokenUrl: tokenUrlFor(config.authUrl ?? hosts.authUrl),
  };
}

/** `authUrl` is normally the auth host; a full token URL is accepted as well. */
function tokenUrlFor(authUrl: string): string {
  return authUrl.endsWith('/connect/token') ? authUrl : `${authUrl}/connect/token`;
}

/** Parses and validates a configuration, throwing a zod error that names each bad field. */
export function parseServiceTitanConfig(
  input: ServiceTitanConfigInput | ServiceTitanConfig,
): ServiceTitanConfig {
  return serviceTitanConfigSchema.parse(input);
}
