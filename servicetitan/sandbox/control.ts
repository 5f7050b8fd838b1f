import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxConfig, SandboxContext } from './context.js';
import { ApiError, badRequest, notFound } from './errors.js';
import { type FaultConfig, faultConfigSchema } from './faults.js';
import { QueryReader } from './query.js';
import { SANDBOX_TENANT, seedTenant } from './seed.js';
import { type CollectionName, type PricebookKind, serializeTenant, type TenantData } from './state.js';
import { parseBody } from './validation.js';

// Control endpoints under /_sandbox/ (no auth; not part of ServiceTitan's API): reset, faults,
// request counts, configuration, extra tenants, and admin-style edits of seeded configuration.

export interface SandboxControls {
  ctx: SandboxContext;
  /** Implemented ST operations, e.g. "GET /crm/v2/tenant/{tenant}/customers". */
  operations(): string[];
  /** Back to the seed: every registered tenant re-seeded, faults/counts/rate windows/config cleared. */
  reset(): void;
  setFaults(config: FaultConfig): void;
  faults(): FaultConfig;
  requests(): { total: number; byRoute: Record<string, number> };
  clearRequests(): void;
  setConfig(patch: Partial<SandboxConfig>): void;
}

const COLLECTION_PATHS: Record<string, { collection: CollectionName; kind?: PricebookKind }> = {
  customers: { collection: 'customers' },
  locations: { collection: 'locations' },
  'business-units': { collection: 'businessUnits' },
  'job-types': { collection: 'jobTypes' },
  campaigns: { collection: 'campaigns' },
  'tag-types': { collection: 'tagTypes' },
  technicians: { collection: 'technicians' },
  'payment-types': { collection: 'paymentTypes' },
  'gl-accounts': { collection: 'glAccounts' },
  'arrival-windows': { collection: 'arrivalWindows' },
  'job-cancel-reasons': { collection: 'jobCancelReasons' },
  jobs: { collection: 'jobs' },
  appointments: { collection: 'appointments' },
  'appointment-assignments': { collection: 'assignments' },
  materials: { collection: 'pricebook', kind: 'material' },
  equipment: { collection: 'pricebook', kind: 'equipment' },
  services: { collection: 'pricebook', kind: 'service' },
  invoices: { collection: 'invoices' },
  payments: { collection: 'payments' },
};

const configSchema = z.object({
  tokenLifetimeSeconds: z.number().int().positive().optional(),
  rateLimitPerSecond: z.number().int().positive().optional(),
  latencyMs: z.number().int().min(0).optional(),
});

const tenantSchema = z.object({
  tenantId: z.number().int().positive(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  appKey: z.string().min(1).default(SANDBOX_TENANT.appKey),
});

function tenantParam(ctx: SandboxContext, request: FastifyRequest): TenantData {
  const id = new QueryReader(request.query).int('tenant') ?? SANDBOX_TENANT.tenantId;
  const tenant = ctx.state.tenants.get(id);
  if (!tenant) throw notFound(`Sandbox tenant ${id} does not exist.`, 'tenant');
  return tenant;
}

export function registerControlRoutes(app: FastifyInstance, controls: SandboxControls): void {
  const { ctx } = controls;
  const config = { kind: 'control' as const };
  const body = (request: FastifyRequest) => request.body ?? {};

  app.get('/_sandbox/health', { config }, async () => ({ ok: true }));

  app.get('/_sandbox/routes', { config }, async () => ({ operations: controls.operations() }));

  app.post('/_sandbox/reset', { config }, async () => {
    controls.reset();
    return { ok: true };
  });

  app.get('/_sandbox/faults', { config }, async () => controls.faults());
  app.post('/_sandbox/faults', { config }, async (request) => {
    const faults = parseBody(faultConfigSchema, body(request));
    controls.setFaults(faults);
    return controls.faults();
  });

  app.get('/_sandbox/requests', { config }, async () => controls.requests());
  app.delete('/_sandbox/requests', { config }, async () => {
    controls.clearRequests();
    return controls.requests();
  });

  app.get('/_sandbox/config', { config }, async () => ({ ...ctx.config }));
  app.post('/_sandbox/config', { config }, async (request) => {
    controls.setConfig(parseBody(configSchema, body(request)));
    return { ...ctx.config };
  });

  app.get('/_sandbox/tenants', { config }, async () => [...ctx.state.registrations.values()]);
  app.post('/_sandbox/tenants', { config }, async (request, reply) => {
    const registration = parseBody(tenantSchema, body(request));
    const clash = [...ctx.state.registrations.values()].find(
      (r) => r.clientId === registration.clientId && r.tenantId !== registration.tenantId,
    );
    if (clash)
      throw badRequest(
        'clientId',
        `Client id ${registration.clientId} already belongs to tenant ${clash.tenantId}.`,
      );
    const existed = ctx.state.registrations.has(registration.tenantId);
    ctx.state.registrations.set(registration.tenantId, registration);
    if (!ctx.state.tenants.has(registration.tenantId)) {
      ctx.state.tenants.set(registration.tenantId, seedTenant(registration.tenantId));
    }
    return reply.code(existed ? 200 : 201).send(registration);
  });

  app.get('/_sandbox/state', { config }, async (request) => serializeTenant(tenantParam(ctx, request)));

  app.patch('/_sandbox/entities/:collection/:id', { config }, async (request) => {
    const params = request.params as { collection: string; id: string };
    const target = COLLECTION_PATHS[params.collection];
    if (!target) {
      throw notFound(
        `Unknown collection '${params.collection}'. Known: ${Object.keys(COLLECTION_PATHS).join(', ')}.`,
      );
    }
    const patch = request.body;
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
      throw badRequest('$', 'The body must be a JSON object of fields to merge.');
    }
    const tenant = tenantParam(ctx, request);
    const id = Number(params.id);
    const map = tenant[target.collection] as unknown as Map<number, Record<string, unknown>>;
    const entity = map.get(id);
    if (!entity || (target.kind && entity.kind !== target.kind)) {
      throw notFound(`No ${params.collection} record with id ${params.id} in tenant ${tenant.tenantId}.`);
    }
    const { id: _ignored, kind: _kind, ...fields } = patch as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!(key in entity))
        throw new ApiError(400, `Unknown field '${key}' for ${params.collection}.`, {
          [key]: ['Unknown field.'],
        });
    }
    Object.assign(entity, fields);
    if ('modifiedOn' in entity) entity.modifiedOn = ctx.now();
    return entity;
  });
}
