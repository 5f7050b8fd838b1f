import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context.js';
import { ApiError } from './errors.js';
import { QueryReader } from './query.js';
import type { TenantData, TenantRegistration } from './state.js';

// OAuth2 client credentials at POST /connect/token (form-encoded, like ST's identity server), and the
// check every API call passes: an ST-App-Key (header or `servicetitanapplicationkey` query), a valid
// unexpired Bearer token, and a path tenant equal to the token's tenant.

const SCOPES = [
  'tn.crm.customers:r',
  'tn.crm.customers:w',
  'tn.crm.locations:r',
  'tn.crm.locations:w',
  'tn.stt.businessunits:r',
  'tn.stt.tagtypes:r',
  'tn.stt.technicians:r',
  'tn.mrk.campaigns:r',
  'tn.jpm.jobs:r',
  'tn.jpm.jobs:w',
  'tn.jpm.jobtypes:r',
  'tn.jpm.jobcancelreasons:r',
  'tn.jpm.appointments:r',
  'tn.dis.arrivalwindows:r',
  'tn.dis.arrivalwindows:w',
  'tn.dis.appointmentassignments:r',
  'tn.dis.appointmentassignments:w',
  'tn.pb.materials:r',
  'tn.pb.materials:w',
  'tn.pb.equipment:r',
  'tn.pb.equipment:w',
  'tn.pb.services:r',
  'tn.pb.services:w',
  'tn.acc.invoices:r',
  'tn.acc.invoices:w',
  'tn.acc.payments:r',
  'tn.acc.payments:w',
  'tn.acc.paymenttypes:r',
  'tn.acc.glaccounts:r',
];

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A JWT-shaped opaque token carrying the claims ST's tokens carry; the sandbox looks tokens up, it never verifies them. */
function mintToken(
  registration: TenantRegistration,
  issuedAt: number,
  expiresAt: number,
  issuer: string,
): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: 'servicetitan-sandbox' };
  const payload = {
    nbf: Math.floor(issuedAt / 1000),
    exp: Math.floor(expiresAt / 1000),
    iss: issuer,
    client_id: registration.clientId,
    tenant: String(registration.tenantId),
    jti: randomUUID(),
    iat: Math.floor(issuedAt / 1000),
    scope: SCOPES,
  };
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${base64url(randomBytes(32))}`;
}

function oauthError(reply: FastifyReply, error: string, description?: string) {
  return reply
    .code(400)
    .header('cache-control', 'no-store')
    .send(description ? { error, error_description: description } : { error });
}

function clientCredentials(request: FastifyRequest): {
  clientId?: string;
  clientSecret?: string;
  grantType?: string;
} {
  const form = (request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  let clientId = str(form.client_id);
  let clientSecret = str(form.client_secret);
  // client_secret_basic, which identity servers accept as well as form fields.
  const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1] && clientId === undefined) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  return { clientId, clientSecret, grantType: str(form.grant_type) };
}

export function registerTokenRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/connect/token', { config: { kind: 'token' } }, async (request, reply) => {
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return oauthError(
        reply,
        'invalid_request',
        'The token request must be form-encoded (application/x-www-form-urlencoded).',
      );
    }
    const { clientId, clientSecret, grantType } = clientCredentials(request);
    if (grantType !== 'client_credentials') return oauthError(reply, 'unsupported_grant_type');
    const registration = [...ctx.state.registrations.values()].find((r) => r.clientId === clientId);
    if (!registration || registration.clientSecret !== clientSecret)
      return oauthError(reply, 'invalid_client');

    const now = Date.now();
    for (const [token, issued] of ctx.state.tokens)
      if (issued.expiresAt <= now) ctx.state.tokens.delete(token);
    const lifetime = ctx.config.tokenLifetimeSeconds;
    const expiresAt = now + lifetime * 1000;
    const issuer = `${request.protocol}://${request.host}`;
    const accessToken = mintToken(registration, now, expiresAt, issuer);
    ctx.state.tokens.set(accessToken, {
      tenantId: registration.tenantId,
      clientId: registration.clientId,
      expiresAt,
    });
    return reply.header('cache-control', 'no-store').send({
      access_token: accessToken,
      expires_in: lifetime,
      token_type: 'Bearer',
      scope: SCOPES.join(' '),
    });
  });
}

export interface Authenticated {
  tenant: TenantData;
  appKey: string;
}

const BEARER_CHALLENGE = 'Bearer';

/** Checks app key, token and tenant of an API call; throws the 401/403 ST would answer. */
export function authenticate(request: FastifyRequest, ctx: SandboxContext): Authenticated {
  const header = request.headers['st-app-key'];
  const appKey =
    (Array.isArray(header) ? header[0] : header) ??
    new QueryReader(request.query).string('servicetitanapplicationkey');
  if (!appKey) throw new ApiError(401, 'Application key not present, check ST-App-Key header value.');
  const registrations = [...ctx.state.registrations.values()];
  if (!registrations.some((r) => r.appKey === appKey)) {
    throw new ApiError(401, 'Application key is not valid, check ST-App-Key header value.');
  }

  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) {
    throw new ApiError(
      401,
      'Authorization header with a Bearer access token is required.',
      {},
      { 'www-authenticate': BEARER_CHALLENGE },
    );
  }
  const issued = ctx.state.tokens.get(match[1]);
  if (!issued) {
    throw new ApiError(
      401,
      'The access token is not valid.',
      {},
      { 'www-authenticate': `${BEARER_CHALLENGE} error="invalid_token"` },
    );
  }
  if (issued.expiresAt <= Date.now()) {
    const at = new Date(issued.expiresAt).toISOString();
    throw new ApiError(
      401,
      `The access token expired at ${at}.`,
      {},
      {
        'www-authenticate': `${BEARER_CHALLENGE} error="invalid_token", error_description="The token expired at '${at}'"`,
      },
    );
  }

  const pathTenant = (request.params as Record<string, string | undefined>).tenant ?? '';
  if (pathTenant !== String(issued.tenantId)) {
    throw new ApiError(
      403,
      `The access token was issued for tenant ${issued.tenantId}, not tenant ${pathTenant}.`,
    );
  }
  const registration = ctx.state.registrations.get(issued.tenantId);
  if (registration?.appKey !== appKey) {
    throw new ApiError(403, `The application is not installed on tenant ${issued.tenantId}.`);
  }
  const tenant = ctx.state.tenants.get(issued.tenantId);
  if (!tenant) throw new ApiError(403, `Tenant ${issued.tenantId} is not available.`);
  return { tenant, appKey };
}
