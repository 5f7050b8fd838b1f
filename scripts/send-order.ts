/**
 * `npm run send-order -- [--kind product|service|mixed] [--subscription] [--tenant demo] [--api URL]
 * [--secret whsec_…] [--wait]`: sends a realistic paid order to the running API as the store does
 * (Standard Webhooks signature with the tenant's secret) and prints where to watch it. Defaults come
 * from the npm start using DATA_DIR (its URLs, the demo tenant's secret, the API token).
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import type { OrderInput } from '../domain/order.js';
import { sampleOrder } from '../domain/sample-order.js';
import { orderSyncWorkflowId } from '../workflows/definitions.js';
import { dataDirLayout, readSecretFile } from './supervisor/data-dir.js';
import { readRuntimeInfo } from './supervisor/runtime-file.js';

export type OrderKindOption = 'product' | 'service' | 'mixed';

export interface SendOrderOptions {
  apiUrl: string;
  tenantId: string;
  webhookSecret: string;
  kind: OrderKindOption;
  subscription: boolean;
  /** Default: a fresh `ord_<digits>` id, so every run is a new order. */
  orderId?: string;
}

export interface SentOrder {
  order: OrderInput;
  status: number;
  body: unknown;
  workflowId: string;
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** A paid order like the store sends: Jane Doe in Austin (a customer the sandbox already has), dated today. */
export function demoOrder(kind: OrderKindOption, subscription: boolean, orderId?: string): OrderInput {
  const id = orderId ?? `ord_${Date.now()}${Math.floor(Math.random() * 10)}`;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return sampleOrder({
    id,
    kind,
    placedAt: now,
    preferredDate: day(3),
    subscription: subscription
      ? { id: `sub_${id.replace(/^ord_/, '')}`, interval: 'month', intervalCount: 3, startsAt: day(0) }
      : null,
  });
}

/** Signs `body` with the tenant's secret and POSTs it to the webhook route, as the store does. */
export async function postSignedWebhook(apiUrl: string, webhookSecret: string, body: string) {
  const messageId = `msg_${randomUUID()}`;
  const timestamp = new Date();
  const response = await fetch(new URL('/webhooks/contractor-commerce', apiUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(webhookSecret).sign(messageId, timestamp, body),
    },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: shown as it is.
  }
  return { status: response.status, body: parsed };
}

export async function sendOrder(options: SendOrderOptions): Promise<SentOrder> {
  const order = demoOrder(options.kind, options.subscription, options.orderId);
  const event = {
    type: 'order.paid',
    tenantId: options.tenantId,
    createdAt: new Date().toISOString(),
    data: order,
  };
  const answer = await postSignedWebhook(options.apiUrl, options.webhookSecret, JSON.stringify(event));
  return { order, ...answer, workflowId: orderSyncWorkflowId(options.tenantId, order.id) };
}

const FINAL = new Set(['synced', 'needs_attention', 'failed', 'skipped']);

export interface OrderState {
  status: string;
  lastError: { type: string | null; message: string } | null;
  serviceTitan: unknown;
}

/** Polls GET /api/orders/{tenant}/{order} until the order reaches a final status (or the timeout). */
export async function waitForOrder(options: {
  apiUrl: string;
  apiToken: string;
  tenantId: string;
  orderId: string;
  timeoutMs?: number;
  onStatus?: (status: string) => void;
}): Promise<OrderState> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const url = new URL(
    `/api/orders/${encodeURIComponent(options.tenantId)}/${encodeURIComponent(options.orderId)}`,
    options.apiUrl,
  );
  let last = '';
  for (;;) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${options.apiToken}` } });
    if (response.status === 200) {
      const state = (await response.json()) as OrderState;
      if (state.status !== last) options.onStatus?.(state.status);
      last = state.status;
      if (FINAL.has(state.status)) return state;
    } else if (response.status !== 404) {
      // 404 only means the dispatcher has not written the order yet.
      throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
    }
    if (Date.now() > deadline) {
      return { status: last || 'not yet received', lastError: null, serviceTitan: null };
    }
    await new Promise((done) => setTimeout(done, 300));
  }
}

const argsSchema = z.object({
  kind: z.enum(['product', 'service', 'mixed'], { error: '--kind must be product, service or mixed' }),
  subscription: z.boolean(),
  tenant: z.string().min(1, { error: '--tenant must name a tenant' }),
  api: z.url({ error: '--api must be the URL of the API, e.g. http://localhost:3000' }).optional(),
  secret: z
    .string()
    .regex(/^whsec_/, { error: '--secret must be the tenant’s webhook secret ("whsec_…")' })
    .optional(),
  token: z.string().optional(),
  wait: z.boolean(),
  timeout: z.coerce.number({ error: '--timeout must be seconds' }).positive().default(60),
});

const usage = `npm run send-order -- [--kind product|service|mixed] [--subscription] [--tenant demo]
                      [--api http://localhost:3000] [--secret whsec_…] [--wait [--timeout 60]] [--token T]
Defaults come from the npm start using DATA_DIR (default .data): its API URL, the demo tenant's
webhook secret and the API token (needed by --wait). WEBHOOK_SECRET and API_TOKEN also work.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'product' },
      subscription: { type: 'boolean', default: false },
      tenant: { type: 'string', default: 'demo' },
      api: { type: 'string' },
      secret: { type: 'string' },
      token: { type: 'string' },
      wait: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n\n${usage}`);
    return 2;
  }
  const args = parsed.data;
  const layout = dataDirLayout(resolve(process.env.DATA_DIR || '.data'));
  const running = readRuntimeInfo(layout.runtime);
  const apiUrl = args.api ?? running?.apiUrl ?? `http://localhost:${process.env.PORT || 3000}`;
  const secret =
    args.secret ??
    process.env.WEBHOOK_SECRET ??
    (args.tenant === 'demo' ? readSecretFile(layout.demoWebhookSecret) : undefined);
  if (!secret) {
    console.error(
      args.tenant === 'demo'
        ? `No demo webhook secret in ${layout.demoWebhookSecret}: start the system with npm start (same DATA_DIR) first, or pass --secret.`
        : `Pass --secret with tenant "${args.tenant}"'s webhook secret (whsec_…).`,
    );
    return 2;
  }

  let sent: SentOrder;
  try {
    sent = await sendOrder({
      apiUrl,
      tenantId: args.tenant,
      webhookSecret: secret,
      kind: args.kind,
      subscription: args.subscription,
    });
  } catch (error) {
    console.error(
      `Nothing answers at ${apiUrl} (${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}): is npm start running with this DATA_DIR? Otherwise pass --api.`,
    );
    return 1;
  }
  const { order } = sent;
  console.log(
    `POST ${new URL('/webhooks/contractor-commerce', apiUrl)} → ${sent.status} ${JSON.stringify(sent.body)}`,
  );
  if (sent.status >= 300) {
    const hint =
      sent.status === 401
        ? `the signature was refused: is ${args.secret ? '--secret' : 'the secret'} tenant "${args.tenant}"'s current webhook secret?`
        : sent.status === 404
          ? `tenant "${args.tenant}" does not exist on this API.`
          : 'see the answer above.';
    console.error(`Not accepted: ${hint}`);
    return 1;
  }
  console.log(
    `Order ${order.id} (${args.kind}${order.subscription ? `, starts subscription ${order.subscription.id}` : ''}), ${order.customer.firstName} ${order.customer.lastName}, total $${order.total}`,
  );
  const uiBase = running?.temporalUiUrl;
  const namespace = running?.namespace ?? 'default';
  const token = args.token ?? process.env.API_TOKEN ?? readSecretFile(layout.apiToken);
  const orderUrl = `${apiUrl}/api/orders/${args.tenant}/${order.id}`;
  console.log('Watch it:');
  if (uiBase) {
    console.log(
      `  Temporal UI  ${uiBase}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(sent.workflowId)}`,
    );
  }
  console.log(`  API          curl -H "Authorization: Bearer ${token ?? '$API_TOKEN'}" ${orderUrl}`);
  if (!args.wait) return 0;
  if (!token) {
    console.error('--wait needs the API token: pass --token or set API_TOKEN.');
    return 2;
  }
  const state = await waitForOrder({
    apiUrl,
    apiToken: token,
    tenantId: args.tenant,
    orderId: order.id,
    timeoutMs: args.timeout * 1000,
    onStatus: (status) => console.log(`  … ${status}`),
  });
  if (state.status === 'synced') {
    console.log(`Synced: ${JSON.stringify(state.serviceTitan)}`);
    return 0;
  }
  console.error(
    FINAL.has(state.status)
      ? `Ended ${state.status}: ${state.lastError?.message ?? 'see the API answer above'}`
      : `Still ${state.status} after ${args.timeout} s; it goes on in the background: watch it in the Temporal UI.`,
  );
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(await main());
}
