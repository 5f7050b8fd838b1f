import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { eq } from 'drizzle-orm';
import { Webhook, type WebhookUnbrandedRequiredHeaders } from 'standardwebhooks';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { tenants } from '../db/schema.js';
import type { SecretBox } from '../db/secret-box.js';

// Standard Webhooks (https://www.standardwebhooks.com): HMAC-SHA256 over "{id}.{timestamp}.{raw body}",
// verified by the `standardwebhooks` library (constant-time comparison, ±5 minute tolerance).

const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

export type SignatureHeaders = WebhookUnbrandedRequiredHeaders;

/** The three signature headers, or the names of those missing. */
export function readSignatureHeaders(
  headers: IncomingHttpHeaders,
): { ok: true; headers: SignatureHeaders } | { ok: false; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of SIGNATURE_HEADERS) {
    const value = headers[name];
    const text = Array.isArray(value) ? value.join(' ') : value;
    if (text === undefined || text.trim() === '') missing.push(name);
    else values[name] = text;
  }
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, headers: values as unknown as SignatureHeaders };
}

export type VerificationResult = { ok: true } | { ok: false; reason: string };

const REASONS: Record<string, string> = {
  'Message timestamp too old':
    'webhook-timestamp is more than 5 minutes in the past (a replayed delivery, or the sender’s clock is wrong)',
  'Message timestamp too new':
    'webhook-timestamp is more than 5 minutes in the future (the sender’s clock is wrong)',
  'Invalid Signature Headers': 'webhook-timestamp must be a Unix time in seconds',
  'No matching signature found':
    'webhook-signature does not match the body for any of the tenant’s webhook secrets (wrong secret, or the body was changed)',
};

/**
 * Verifies the raw body against each of the tenant's secrets (several are active while a secret is
 * rotated). The body must be the exact bytes received: re-serialised JSON would not match.
 */
export function verifySignature(
  rawBody: string,
  headers: SignatureHeaders,
  secrets: readonly string[],
): VerificationResult {
  let reason = 'the tenant has no usable webhook secret; set one with PUT /api/tenants/{tenantId}';
  for (const secret of secrets) {
    let webhook: Webhook;
    try {
      webhook = new Webhook(secret);
    } catch {
      continue;
    }
    try {
      webhook.verify(rawBody, headers, { jsonParse: false });
      return { ok: true };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reason = REASONS[message] ?? `the signature could not be verified (${message})`;
    }
  }
  return { ok: false, reason };
}

/**
 * Reads only `tenantId` from the body, to know whose secrets verify it. Nothing else of the body is
 * used before the signature is verified.
 */
export function peekTenantId(rawBody: string): { parsed: unknown; tenantId: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const tenantId = (parsed as { tenantId?: unknown }).tenantId;
  if (typeof tenantId !== 'string' || tenantId.trim() === '') return undefined;
  return { parsed, tenantId };
}

/** The tenant's active webhook secrets (decrypted), or undefined for an unknown tenant. */
export async function loadWebhookSecrets(
  db: Database,
  box: SecretBox,
  tenantId: string,
): Promise<string[] | undefined> {
  const [row] = await db
    .select({ sealed: tenants.webhookSecretsEncrypted })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!row) return undefined;
  return JSON.parse(box.open(row.sealed)) as string[];
}

/** Standard Webhooks recommends secrets of 24 to 64 random bytes, base64 encoded after `whsec_`. */
export const webhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, {
    error: 'must be "whsec_" followed by base64, like the secret the store shows (e.g. "whsec_MfKQ9r8G…")',
  })
  .refine(
    (secret) => {
      const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
      return bytes >= 24 && bytes <= 64;
    },
    { error: 'must encode 24 to 64 random bytes after "whsec_"' },
  );

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
