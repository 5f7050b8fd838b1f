import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  apiErrorBodySchema,
  errorFromInvalidResponse,
  errorFromNetworkFailure,
  errorFromResponse,
  parseRetryAfter,
  ServiceTitanError,
} from './errors.js';
import type { FetchLike } from './fetch.js';

/** ServiceTitan's token answer (servicetitan-api.md §1.3). Lifetime is 900 s in practice. */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
  token_type: z.string().optional(),
  scope: z.union([z.string(), z.array(z.string())]).optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

const TOKEN_OPERATION = 'POST /connect/token';
const DEFAULT_LIFETIME_SECONDS = 900;
/** Refresh this long before expiry, so a token never expires between our check and ST's. */
const DEFAULT_REFRESH_MARGIN_MS = 60_000;

interface CachedToken {
  value: string;
  /** When we stop using it (expiry minus the refresh margin). */
  refreshAt: number;
}

interface CacheEntry {
  token?: CachedToken | undefined;
  /** The one token request in flight; everyone who needs a token meanwhile awaits it. */
  inflight?: Promise<CachedToken> | undefined;
}

/**
 * Process-wide: ServiceTitan throttles the token endpoint, and every client for the same
 * credentials (one per activity invocation, say) should share one token.
 */
const tokenCache = new Map<string, CacheEntry>();

/** Forgets every cached token (tests; or after rotating credentials). */
export function clearTokenCache(): void {
  tokenCache.clear();
}

export interface TokenProviderOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** For messages only. */
  tenantId: number;
  fetch: FetchLike;
  timeoutMs: number;
  refreshMarginMs?: number;
  now?: () => number;
}

/**
 * OAuth2 client-credentials tokens for one (token URL, client id): cached process-wide, refreshed
 * ahead of expiry, one request in flight however many callers wait.
 */
export class TokenProvider {
  private readonly key: string;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;

  constructor(private readonly options: TokenProviderOptions) {
    // The secret is part of the key (hashed, never stored) so fixing a wrong secret takes effect at once.
    const secretHash = createHash('sha256').update(options.clientSecret).digest('hex').slice(0, 16);
    this.key = `${options.tokenUrl}\n${options.clientId}\n${secretHash}`;
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  }

  /** A token valid for at least the refresh margin (or half its lifetime, if shorter). */
  async getToken(): Promise<string> {
    const entry = this.entry();
    if (entry.token && this.now() < entry.token.refreshAt) return entry.token.value;
    if (!entry.inflight) {
      const request = this.requestToken()
        .then((token) => {
          entry.token = token;
          return token;
        })
        .finally(() => {
          entry.inflight = undefined;
        });
      entry.inflight = request;
    }
    return (await entry.inflight).value;
  }

  /**
   * Drops `token` after ServiceTitan answered 401 with it. Only that exact token: if another caller
   * already refreshed, the newer token stays, so a burst of 401s causes one refresh, not many.
   */
  invalidate(token: string): void {
    const entry = this.entry();
    if (entry.token?.value === token) entry.token = undefined;
  }

  private entry(): CacheEntry {
    let entry = tokenCache.get(this.key);
    if (!entry) {
      entry = {};
      tokenCache.set(this.key, entry);
    }
    return entry;
  }

  private async requestToken(): Promise<CachedToken> {
    const { tokenUrl, clientId, clientSecret, timeoutMs, tenantId } = this.options;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    const requestedAt = this.now();
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await this.options.fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (cause) {
      throw errorFromNetworkFailure(
        TOKEN_OPERATION,
        'the access token request',
        hostOf(tokenUrl),
        cause,
        timeoutMs,
      );
    }

    const json = safeJson(text);
    if (status < 200 || status >= 300) {
      const body = apiErrorBodySchema.safeParse(json).data;
      const oauthError = body?.error;
      if ((status === 400 || status === 401) && oauthError) {
        const hint =
          oauthError === 'invalid_client'
            ? 'check the client id and client secret (they are issued per tenant and per environment)'
            : 'check that the app is connected to this tenant and the credentials are for this environment';
        throw new ServiceTitanError({
          operation: TOKEN_OPERATION,
          status,
          body,
          kind: 'permanent',
          code: 'invalid-credentials',
          plainMessage: `ServiceTitan refused client id "${clientId}" for tenant ${tenantId} at ${hostOf(tokenUrl)} (${oauthError}); ${hint}`,
        });
      }
      throw errorFromResponse({
        operation: TOKEN_OPERATION,
        subject: 'the access token request',
        status,
        body,
        rawText: text,
        retryAfterMs: parseRetryAfter(retryAfter),
        tenantId,
      });
    }

    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw errorFromInvalidResponse(
        TOKEN_OPERATION,
        'the access token request',
        status,
        parsed.error.issues,
      );
    }
    const lifetimeMs = (parsed.data.expires_in ?? DEFAULT_LIFETIME_SECONDS) * 1000;
    // Short-lived tokens (sandbox tests) would otherwise be "due for refresh" the moment they arrive.
    const margin = Math.min(this.refreshMarginMs, lifetimeMs / 4);
    return { value: parsed.data.access_token, refreshAt: requestedAt + lifetimeMs - margin };
  }
}

function safeJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
