import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiLogger } from '../../api/logger.js';
import { createDatabase } from '../../db/client.js';
import { createSecretBox } from '../../db/secret-box.js';
import { exampleSandboxSettings as sandboxSettings } from '../../servicetitan/sandbox/example-settings.js';
import { type RunningSandbox, startSandbox } from '../../servicetitan/sandbox/server.js';
import { freshDatabase } from '../helpers/database.js';
import {
  API_TOKEN,
  authorized,
  createTestApp,
  delivery,
  newWebhookSecret,
  orderPaidEvent,
  type TestApp,
  uniqueTenantId,
  unreachableTemporalClient,
} from './harness.js';

// Secrets (ServiceTitan client secret and app key, webhook secrets, the API token) are written once
// and never come back: not in any answer, not in any log line, at the most verbose log level.

const secrets = createSecretBox(randomBytes(32));
let database: Awaited<ReturnType<typeof freshDatabase>>;
let sandbox: RunningSandbox;
let api: TestApp;

const stTenantId = 2_000_000 + Math.floor(Math.random() * 1000);
const clientSecret = `cs-${randomBytes(16).toString('hex')}`;
const appKey = `ak-${randomBytes(16).toString('hex')}`;
const webhookSecret = newWebhookSecret();
const responses: Array<{ label: string; text: string }> = [];

async function call(label: string, app: TestApp, options: InjectOptions): Promise<LightMyRequestResponse> {
  const response = await app.app.inject(options);
  responses.push({ label, text: `${JSON.stringify(response.headers)}\n${response.body}` });
  return response;
}

function serviceTitan(overrides: Record<string, unknown> = {}) {
  return {
    environment: 'sandbox',
    tenantId: stTenantId,
    clientId: 'secret-test-client',
    clientSecret,
    appKey,
    baseUrl: sandbox.url,
    ...overrides,
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  // A sandbox tenant with credentials of this test's own, so a leak cannot hide behind well-known values.
  const registered = await fetch(`${sandbox.url}/_sandbox/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: stTenantId, clientId: 'secret-test-client', clientSecret, appKey }),
  });
  expect(registered.ok).toBe(true);
  database = await freshDatabase();
  api = await createTestApp({
    db: database.db,
    secrets,
    client: await unreachableTemporalClient(),
    taskQueue: 'unused',
  });
});

afterAll(async () => {
  await api?.close();
  await sandbox?.close();
  await database?.drop();
});

describe('secrets', () => {
  it('never appear in an answer or a log line, whatever the route and outcome', async () => {
    const tenantId = uniqueTenantId();
    const generatedTenant = uniqueTenantId();
    const tenantBody = {
      name: 'Secretive HVAC',
      timeZone: 'America/Chicago',
      webhookSecret,
      serviceTitan: serviceTitan(),
    };

    const created = await call(
      'create',
      api,
      authorized({ method: 'PUT', url: `/api/tenants/${tenantId}`, payload: tenantBody }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json().connection.ok).toBe(true);
    const generated = await api.app.inject(
      authorized({
        method: 'PUT',
        url: `/api/tenants/${generatedTenant}`,
        payload: { ...tenantBody, webhookSecret: undefined },
      }),
    );
    const generatedSecret: string = generated.json().generatedWebhookSecret;
    expect(generatedSecret).toMatch(/^whsec_/);
    await call(
      'get generated tenant',
      api,
      authorized({ method: 'GET', url: `/api/tenants/${generatedTenant}` }),
    );

    await call('get', api, authorized({ method: 'GET', url: `/api/tenants/${tenantId}` }));
    await call(
      'update',
      api,
      authorized({ method: 'PUT', url: `/api/tenants/${tenantId}`, payload: tenantBody }),
    );
    await call(
      'options',
      api,
      authorized({
        method: 'GET',
        url: `/api/tenants/${tenantId}/servicetitan/options?refresh=true&sku=filter`,
      }),
    );
    await call(
      'settings',
      api,
      authorized({ method: 'PUT', url: `/api/tenants/${tenantId}/settings`, payload: sandboxSettings() }),
    );
    await call(
      'bad settings',
      api,
      authorized({
        method: 'PUT',
        url: `/api/tenants/${tenantId}/settings`,
        payload: { paymentTypeId: 999 },
      }),
    );
    await call(
      'invalid tenant',
      api,
      authorized({
        method: 'PUT',
        url: `/api/tenants/${uniqueTenantId()}`,
        payload: { ...tenantBody, timeZone: 'nowhere' },
      }),
    );
    await call('wrong token', api, {
      method: 'GET',
      url: '/api/orders',
      headers: { authorization: `Bearer ${API_TOKEN}x` },
    });

    // ServiceTitan refusing the credentials: errors are logged and answered without the secret.
    const wrongTenant = uniqueTenantId();
    await call(
      'wrong credentials',
      api,
      authorized({
        method: 'PUT',
        url: `/api/tenants/${wrongTenant}`,
        payload: { ...tenantBody, serviceTitan: serviceTitan({ clientSecret: `${clientSecret}-old` }) },
      }),
    );
    await call(
      'wrong credentials options',
      api,
      authorized({ method: 'GET', url: `/api/tenants/${wrongTenant}/servicetitan/options` }),
    );

    const event = orderPaidEvent(tenantId, { id: 'ord_secret' });
    await call('webhook', api, delivery(webhookSecret, event, { id: 'evt_secret' }));
    await call('webhook duplicate', api, delivery(webhookSecret, event, { id: 'evt_secret' }));
    await call('webhook wrong secret', api, delivery(newWebhookSecret(), event));
    await call(
      'webhook invalid',
      api,
      delivery(webhookSecret, { ...event, data: { ...event.data, total: 'x' } }),
    );
    await call(
      'webhook generated',
      api,
      delivery(generatedSecret, orderPaidEvent(generatedTenant, { id: 'ord_gen' })),
    );

    // The database down while a tenant is saved: the failure is logged, without the values.
    const down = createDatabase('postgres://nobody:nothing@127.0.0.1:9/none', { max: 1 });
    const offline = await createTestApp({
      db: down.db,
      secrets,
      client: await unreachableTemporalClient(),
      taskQueue: 'unused',
    });
    await call(
      'db down',
      offline,
      authorized({ method: 'PUT', url: `/api/tenants/${tenantId}`, payload: tenantBody }),
    );
    await offline.close();
    await down.close();

    const logs = [...api.logs, ...offline.logs].join('\n');
    expect(logs).toContain('tenant saved');
    expect(logs).toContain('webhook: stored');
    const forbidden = {
      clientSecret,
      appKey,
      webhookSecret,
      webhookSecretKey: webhookSecret.slice('whsec_'.length),
      generatedSecret,
      generatedSecretKey: generatedSecret.slice('whsec_'.length),
      apiToken: API_TOKEN,
    };
    for (const [name, value] of Object.entries(forbidden)) {
      expect(logs.includes(value), `${name} appears in the logs`).toBe(false);
      for (const response of responses) {
        expect(response.text.includes(value), `${name} appears in the answer to "${response.label}"`).toBe(
          false,
        );
      }
    }
  });
});

describe('the log redaction safety net', () => {
  it('blanks out secret fields even when code logs them by mistake', async () => {
    const lines: string[] = [];
    const logger = createApiLogger({
      level: 'info',
      stream: { write: (line: string) => void lines.push(line) },
    });
    logger.info(
      { serviceTitan: { clientSecret, appKey }, webhookSecret, body: { webhookSecrets: [webhookSecret] } },
      'oops',
    );
    logger.info({ req: { headers: { authorization: `Bearer ${API_TOKEN}` } } }, 'request');
    const text = lines.join('\n');
    expect(text).toContain('oops');
    for (const value of [clientSecret, appKey, webhookSecret, API_TOKEN]) expect(text).not.toContain(value);
  });
});
