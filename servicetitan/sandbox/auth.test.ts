import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TENANT } from './seed.js';
import type { RunningSandbox } from './server.js';
import { SandboxTestClient, startTestSandbox } from './test-helpers.js';

let sandbox: RunningSandbox;
let st: SandboxTestClient;

beforeAll(async () => {
  ({ sandbox, st } = await startTestSandbox());
});
afterAll(async () => {
  await sandbox.close();
});

const CUSTOMERS = '/crm/v2/tenant/{tenant}/customers';

describe('token endpoint', () => {
  it('issues a bearer token for the seeded client credentials, form-encoded', async () => {
    const res = await st.requestToken();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expires_in: 900, token_type: 'Bearer' });
    expect(String(res.body.access_token).split('.')).toHaveLength(3);
    expect(String(res.body.scope)).toContain('tn.crm.customers:r');
  });

  it('puts the tenant and expiry in the JWT-shaped token', async () => {
    const res = await st.requestToken();
    const payload = JSON.parse(
      Buffer.from(String(res.body.access_token).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload).toMatchObject({
      tenant: String(SANDBOX_TENANT.tenantId),
      client_id: SANDBOX_TENANT.clientId,
    });
    expect(payload.exp - payload.nbf).toBe(900);
  });

  it('refuses a wrong secret with invalid_client', async () => {
    const res = await st.requestToken({
      grant_type: 'client_credentials',
      client_id: 'sandbox-client',
      client_secret: 'nope',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_client' });
  });

  it('refuses an unknown client id with invalid_client', async () => {
    const res = await st.requestToken({
      grant_type: 'client_credentials',
      client_id: 'cid.unknown',
      client_secret: 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_client' });
  });

  it('refuses other grant types', async () => {
    const res = await st.requestToken({
      grant_type: 'password',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unsupported_grant_type' });
  });

  it('refuses a JSON token request: the identity server only takes forms', async () => {
    const res = await fetch(`${st.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'sandbox-client',
        client_secret: 'sandbox-secret',
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('accepts client credentials in a Basic authorization header', async () => {
    const res = await fetch(`${st.url}/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
  });
});

describe('API authentication', () => {
  it('answers with a valid token and app key', async () => {
    expect((await st.get(CUSTOMERS)).status).toBe(200);
  });

  it('answers 401 with ST message when the app key is missing', async () => {
    const res = await st.get<{ title: string }>(CUSTOMERS, { headers: { 'st-app-key': undefined } });
    expect(res.status).toBe(401);
    expect(res.body.title).toBe('Application key not present, check ST-App-Key header value.');
  });

  it('accepts the app key as the servicetitanapplicationkey query parameter', async () => {
    const res = await st.get(`${CUSTOMERS}?servicetitanapplicationkey=${SANDBOX_TENANT.appKey}`, {
      headers: { 'st-app-key': undefined },
    });
    expect(res.status).toBe(200);
  });

  it('answers 401 for an unknown app key', async () => {
    const res = await st.get(CUSTOMERS, { headers: { 'st-app-key': 'ak1.someone-else' } });
    expect(res.status).toBe(401);
  });

  it('answers 401 with a Bearer challenge when the token is missing', async () => {
    const res = await st.get(CUSTOMERS, { noToken: true });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 401 for a token it did not issue', async () => {
    const res = await st.get(CUSTOMERS, { headers: { authorization: 'Bearer not-a-token' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('answers 403 when the path names another tenant than the token', async () => {
    const res = await st.call('GET', '/crm/v2/tenant/1000002/customers');
    expect(res.status).toBe(403);
  });

  it('answers 401 once the token has expired, and a fresh token works again', async () => {
    await st.control('POST', '/config', { tokenLifetimeSeconds: 1 });
    try {
      st.forgetToken();
      const token = await st.requestToken();
      expect(token.body.expires_in).toBe(1);
      const headers = { authorization: `Bearer ${String(token.body.access_token)}` };
      expect((await st.get(CUSTOMERS, { headers })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const expired = await st.get<{ title: string }>(CUSTOMERS, { headers });
      expect(expired.status).toBe(401);
      expect(expired.body.title).toContain('expired');
      expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
      st.forgetToken();
      expect((await st.get(CUSTOMERS)).status).toBe(200);
    } finally {
      await st.control('POST', '/config', { tokenLifetimeSeconds: 900 });
      st.forgetToken();
    }
  });

  it('serves extra tenants registered through /_sandbox/tenants, each isolated', async () => {
    const created = await st.control('POST', '/tenants', {
      tenantId: 2000002,
      clientId: 'second-client',
      clientSecret: 'second-secret',
    });
    expect(created.status).toBe(201);
    const second = new SandboxTestClient(st.url, {
      tenantId: 2000002,
      clientId: 'second-client',
      clientSecret: 'second-secret',
      appKey: SANDBOX_TENANT.appKey,
    });
    const customer = await second.post<{ id: number }>(CUSTOMERS, {
      name: 'Only in tenant two',
      address: { street: '1 Main', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
      locations: [
        {
          name: 'Home',
          address: { street: '1 Main', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
        },
      ],
    });
    expect(customer.status).toBe(200);
    expect((await second.get(`${CUSTOMERS}/${customer.body.id}`)).status).toBe(200);
    expect((await st.get(`${CUSTOMERS}/${customer.body.id}`)).status).toBe(404);
    // The first tenant's token does not open the second tenant.
    expect((await st.call('GET', '/crm/v2/tenant/2000002/customers')).status).toBe(403);
  });
});
