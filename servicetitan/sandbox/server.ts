import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { registerAccountingLookupRoutes } from './accounting.js';
import { registerInvoiceRoutes } from './accounting-invoices.js';
import { registerPaymentRoutes } from './accounting-payments.js';
import { authenticate, registerTokenRoute } from './auth.js';
import { createContext, routeTemplate, type SandboxConfig } from './context.js';
import { registerControlRoutes } from './control.js';
import { registerCustomerRoutes } from './crm-customers.js';
import { registerLocationRoutes } from './crm-locations.js';
import { registerDispatchRoutes } from './dispatch.js';
import { ApiError, installErrorHandling, problem } from './errors.js';
import { FaultInjector } from './faults.js';
import { registerAppointmentRoutes } from './jpm-appointments.js';
import { registerJobTypeRoutes } from './jpm-job-types.js';
import { registerJobRoutes } from './jpm-jobs.js';
import { registerMarketingRoutes } from './marketing.js';
import { loadState, StateSaver } from './persistence.js';
import { registerPricebookRoutes } from './pricebook.js';
import { SlidingWindowRateLimiter } from './rate-limit.js';
import { RequestCounter } from './request-counter.js';
import { SANDBOX_TENANT, seedTenant } from './seed.js';
import { registerSettingsRoutes } from './settings.js';
import { FIRST_CREATED_ID, type SandboxState } from './state.js';

// The ServiceTitan sandbox: a Fastify server speaking ST's v2 wire protocol for the operations this
// product uses, with ST's auth, paging, error bodies and rate limit, plus /_sandbox control endpoints.

export interface SandboxOptions {
  /** Lifetime of issued access tokens (ST: 900). */
  tokenLifetimeSeconds?: number;
  /** Requests per second per (app key, tenant) (ST: 60). */
  rateLimitPerSecond?: number;
  /** Latency added to every ST call (not to /_sandbox). */
  latencyMs?: number;
  /** JSON file to load the state from at start and save it to after writes and on close. */
  statePath?: string;
  /** Fastify logger option (default off). */
  logger?: boolean | object;
}

export interface StartSandboxOptions extends SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface RunningSandbox {
  /** Base URL for both the API and the token endpoint, e.g. http://127.0.0.1:3001 */
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

function freshState(): SandboxState {
  return {
    nextId: FIRST_CREATED_ID,
    registrations: new Map([[SANDBOX_TENANT.tenantId, { ...SANDBOX_TENANT }]]),
    tenants: new Map([[SANDBOX_TENANT.tenantId, seedTenant(SANDBOX_TENANT.tenantId)]]),
    tokens: new Map(),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function rawPath(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export async function createSandbox(options: SandboxOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    exposeHeadRoutes: false,
  });
  // The ST operations this sandbox implements, for GET /_sandbox/routes and the conformance suite.
  const operations: string[] = [];
  app.addHook('onRoute', (route) => {
    if (route.config?.kind !== 'api') return;
    for (const method of [route.method].flat()) operations.push(`${method} ${routeTemplate(route.url)}`);
  });

  const initialConfig: SandboxConfig = {
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 900,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 60,
    latencyMs: options.latencyMs ?? 0,
  };
  const loaded = options.statePath ? await loadState(options.statePath, app.log) : undefined;
  const state = loaded ?? freshState();
  if (!state.registrations.has(SANDBOX_TENANT.tenantId)) {
    state.registrations.set(SANDBOX_TENANT.tenantId, { ...SANDBOX_TENANT });
  }
  for (const id of state.registrations.keys())
    if (!state.tenants.has(id)) state.tenants.set(id, seedTenant(id));

  const ctx = createContext(state, { ...initialConfig });
  const faults = new FaultInjector();
  const counter = new RequestCounter();
  const limiter = new SlidingWindowRateLimiter(
    () => faults.current().rateLimitPerSecond ?? ctx.config.rateLimitPerSecond,
  );
  const saver = options.statePath ? new StateSaver(options.statePath, () => ctx.state, app.log) : undefined;

  await app.register(formbody);
  // ST clients send `Content-Type: application/json` on bodiless PUT/POST/DELETE calls; accept that.
  const jsonParser = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  // Like ASP.NET, anything but JSON (and the token endpoint's form) is 415 Unsupported Media Type.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void jsonParser(request, text, done);
  });
  installErrorHandling(app);

  app.decorateRequest('sandbox', null as unknown as FastifyRequest['sandbox']);

  app.addHook('onRequest', async (request) => {
    const kind = request.routeOptions.config?.kind;
    const path = rawPath(request);
    const template = request.routeOptions.url
      ? routeTemplate(request.routeOptions.url)
      : path.replace(/\/tenant\/\d+(?=\/|$)/, '/tenant/{tenant}');
    request.sandbox = {
      tenant: undefined,
      routeKey: `${request.method} ${template}`,
      ignoreUnitPrice: false,
      commitThenError: null,
    };
    if (kind === 'control' || path.startsWith('/_sandbox/')) return;
    counter.record(request.sandbox.routeKey);
    if (kind !== 'api') return;
    const auth = authenticate(request, ctx);
    request.sandbox.tenant = auth.tenant;
    const verdict = limiter.check(`${auth.appKey}|${auth.tenant.tenantId}`);
    if (!verdict.allowed) {
      throw new ApiError(
        429,
        `Too many requests: the limit is ${faults.current().rateLimitPerSecond ?? ctx.config.rateLimitPerSecond} per second per application and tenant.`,
        {},
        { 'retry-after': String(verdict.retryAfterSeconds) },
      );
    }
  });

  app.addHook('preHandler', async (request) => {
    const kind = request.routeOptions.config?.kind;
    if (kind !== 'api' && kind !== 'token') return;
    const path = rawPath(request);
    const decision = faults.evaluate({
      method: request.method,
      rawPath: path,
      template: request.sandbox.routeKey.slice(request.method.length + 1),
    });
    const delay = (faults.current().latencyMs ?? ctx.config.latencyMs) + decision.latencyMs;
    if (delay > 0) await sleep(delay);
    if (decision.error) {
      const status = decision.error.status;
      throw new ApiError(
        status,
        `Sandbox fault injection: ${request.method} ${path} failed with ${status}.`,
        {},
        status === 429 ? { 'retry-after': '1' } : {},
      );
    }
    request.sandbox.ignoreUnitPrice = decision.ignoreUnitPrice;
    request.sandbox.commitThenError = decision.commitThenError;
  });

  // commit-then-error: the work is done; now lose the answer.
  app.addHook('onSend', async (request, reply, payload) => {
    const fault = request.sandbox?.commitThenError;
    if (!fault || reply.statusCode >= 300) return payload;
    request.sandbox.commitThenError = null;
    if (fault.status > 0) {
      reply.code(fault.status).type('application/json');
      return JSON.stringify(
        problem(
          fault.status,
          `Sandbox fault injection: the change was saved but the answer is ${fault.status}.`,
        ),
      );
    }
    request.raw.socket?.destroy();
    return payload;
  });

  if (saver) {
    app.addHook('onResponse', async (request) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') saver.schedule();
    });
    app.addHook('onClose', async () => {
      await saver.flush();
    });
  }

  registerTokenRoute(app, ctx);
  registerCustomerRoutes(app, ctx);
  registerLocationRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
  registerMarketingRoutes(app, ctx);
  registerJobTypeRoutes(app, ctx);
  registerJobRoutes(app, ctx);
  registerAppointmentRoutes(app, ctx);
  registerDispatchRoutes(app, ctx);
  registerPricebookRoutes(app, ctx);
  registerInvoiceRoutes(app, ctx);
  registerPaymentRoutes(app, ctx);
  registerAccountingLookupRoutes(app, ctx);
  registerControlRoutes(app, {
    ctx,
    operations: () => [...operations],
    reset() {
      for (const id of ctx.state.registrations.keys()) ctx.state.tenants.set(id, seedTenant(id));
      faults.clear();
      counter.reset();
      limiter.reset();
      Object.assign(ctx.config, initialConfig);
    },
    setFaults(config) {
      faults.set(config);
      limiter.reset();
    },
    faults: () => faults.current(),
    requests: () => counter.snapshot(),
    clearRequests: () => counter.reset(),
    setConfig(patch) {
      Object.assign(ctx.config, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    },
  });
  return app;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { port = 0, host = '127.0.0.1', ...rest } = options;
  const app = await createSandbox(rest);
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { url: `http://${urlHost}:${actualPort}`, app, close: () => app.close() };
}
