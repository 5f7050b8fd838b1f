import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app.js';
import { sampleOrder } from '../domain/sample-order.js';
import { payloadCodecFromEnv } from '../temporal/payload-codec.js';
import { orderSyncWorkflowId } from '../workflows/definitions.js';
import { createOrderSyncHarness, type OrderSyncHarness } from './helpers/order-sync-harness.js';

const key = randomBytes(32).toString('base64');
let h: OrderSyncHarness;

beforeAll(async () => {
  h = await createOrderSyncHarness('payload encryption', { payloadEncryptionKey: key });
});
afterAll(async () => {
  await h?.close();
});

describe('payload encryption', () => {
  it('keeps customer data unreadable in Temporal while the worker, the client and the UI codec read it', async () => {
    const order = sampleOrder({
      id: `ord_enc${Date.now().toString(36)}`,
      customer: { firstName: 'Priya', lastName: 'Secret', phone: '(512) 555-0166' },
      serviceAddress: { street: '9 Hidden Ln', unit: null, zip: '78703' },
    });
    const result = await h.sync(order);
    expect(result.status).toBe('synced');

    // What Temporal stores: the memo carries the customer's name, encrypted.
    const raw = await h.rawClient.workflow
      .getHandle(orderSyncWorkflowId(h.tenantId, order.id))
      .fetchHistory();
    const memoUpsert = raw.events?.find(
      (e) => e.workflowPropertiesModifiedEventAttributes,
    )?.workflowPropertiesModifiedEventAttributes;
    const storedName = memoUpsert?.upsertedMemo?.fields?.customerName;
    expect(Buffer.from(storedName?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    expect(Buffer.from(storedName?.data ?? []).toString('latin1')).not.toContain('Priya');
    const input = raw.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(Buffer.from(input?.data ?? []).toString('latin1')).not.toContain(order.id);

    // The Temporal UI decodes through the API's codec endpoint, with the API token.
    const codec = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: key });
    const app = await buildApp({
      db: h.db,
      secrets: { seal: (x) => x, open: (x) => x },
      temporal: { client: h.client, namespace: 'default', taskQueue: h.taskQueue },
      apiToken: 'operator-token',
      ...(codec ? { payloadCodec: codec } : {}),
      logger: { level: 'silent' },
    });
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(storedName?.metadata ?? {}).map(([k, v]) => [
              k,
              Buffer.from(v as Uint8Array).toString('base64'),
            ]),
          ),
          data: Buffer.from(storedName?.data ?? []).toString('base64'),
        },
      ],
    };
    const refused = await app.inject({ method: 'POST', url: '/codec/decode', payload: body });
    expect(refused.statusCode).toBe(401);
    const decoded = await app.inject({
      method: 'POST',
      url: '/codec/decode',
      payload: body,
      headers: { authorization: 'Bearer operator-token' },
    });
    expect(decoded.statusCode).toBe(200);
    const [payload] = (decoded.json() as { payloads: Array<{ data: string }> }).payloads;
    expect(Buffer.from(payload?.data ?? '', 'base64').toString()).toBe('"Priya Secret"');
    await app.close();
  });
});
