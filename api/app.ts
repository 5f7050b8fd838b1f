import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import type { SecretBox } from '../db/secret-box.js';
import { errorHandler } from './error-handler.js';
import { type ApiLoggerOptions, createApiLogger, isLogger } from './logger.js';
import { type ApiMetrics, createMetrics } from './metrics.js';
import { bearerAuth } from './plugins/auth.js';
import { codecPlugin } from './plugins/codec.js';
import { registerDocs } from './plugins/docs.js';
import { healthPlugin } from './plugins/health.js';
import { metricsPlugin } from './plugins/metrics.js';
import { ordersPlugin } from './plugins/orders.js';
import { settingsPlugin } from './plugins/settings.js';
import { subscriptionsPlugin } from './plugins/subscriptions.js';
import { tenantsPlugin } from './plugins/tenants.js';
import { WEBHOOK_BODY_LIMIT, webhooksPlugin } from './plugins/webhooks.js';
import { problem, sendProblem } from './problem.js';
import {
  createOptionsCache,
  defaultServiceTitanClientFor,
  type ServiceTitanClientFor,
} from './servicetitan-options.js';

export interface ApiDeps {
  db: Database;
  secrets: SecretBox;
  temporal: {
    client: Client;
    namespace: string;
    taskQueue: string;
    /** Temporal UI base (e.g. http://localhost:8233) for links to workflows; no links without it. */
    uiBaseUrl?: string | undefined;
  };
  /** Bearer token of `/api/*`. */
  apiToken: string;
  /** Pino options (secrets are always redacted) or a logger made with `createApiLogger`. */
  logger?: ApiLoggerOptions | Logger;
  serviceTitanClientFor?: ServiceTitanClientFor;
  /** How long the ServiceTitan drop-down lists are reused per tenant (default 60 s). */
  optionsCacheTtlMs?: number;
  /** The dispatcher to wake after each stored webhook (main.ts starts it next to the app). */
  dispatcher?: { kick(): void };
  /** Shared with the dispatcher so /metrics shows its latency; created when absent. */
  metrics?: ApiMetrics;
  /** Deadline of Temporal calls made while answering a request (default 5 s). */
  temporalTimeoutMs?: number;
  /** The payload codec (when payloads are encrypted): serves the Temporal UI's codec endpoints. */
  payloadCodec?: PayloadCodec;
}

/**
 * The API: one plugin per concern, every route with zod schemas that validate it and document it at
 * /docs. Does not listen and does not start the dispatcher (see server.ts); tests use `app.inject()`.
 */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const logger = isLogger(deps.logger) ? deps.logger : createApiLogger(deps.logger);
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: WEBHOOK_BODY_LIMIT,
    // Behind a load balancer the client address comes from X-Forwarded-For.
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(404, `There is no route ${request.method} ${request.url.split('?')[0]}; see /docs.`),
    ),
  );

  const metrics = deps.metrics ?? createMetrics();
  const serviceTitanClientFor = deps.serviceTitanClientFor ?? defaultServiceTitanClientFor;
  const optionsCache = createOptionsCache(deps.optionsCacheTtlMs ?? 60_000);
  const temporal = deps.temporal;
  const temporalTimeoutMs = deps.temporalTimeoutMs ?? 5000;

  await registerDocs(app);
  await app.register(webhooksPlugin, {
    db: deps.db,
    secrets: deps.secrets,
    metrics,
    onEventStored: deps.dispatcher ? () => deps.dispatcher?.kick() : undefined,
  });
  await app.register(healthPlugin, { db: deps.db, temporal });
  if (deps.payloadCodec) {
    await app.register(codecPlugin, {
      codec: deps.payloadCodec,
      apiToken: deps.apiToken,
      uiOrigin: deps.temporal.uiBaseUrl,
    });
  }
  await app.register(metricsPlugin, { db: deps.db, metrics });
  await app.register(
    async (api) => {
      api.addHook('onRequest', bearerAuth(deps.apiToken));
      await api.register(tenantsPlugin, {
        db: deps.db,
        secrets: deps.secrets,
        serviceTitanClientFor,
        optionsCache,
      });
      await api.register(settingsPlugin, {
        db: deps.db,
        secrets: deps.secrets,
        serviceTitanClientFor,
        optionsCache,
      });
      await api.register(ordersPlugin, { db: deps.db, temporal, temporalTimeoutMs });
      await api.register(subscriptionsPlugin, { temporal, temporalTimeoutMs });
    },
    { prefix: '/api' },
  );
  return app;
}
