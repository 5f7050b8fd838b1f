import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from './errors.js';
import { QueryReader } from './query.js';
import { allocateId, isoNow, type SandboxState, type TenantData } from './state.js';

// What route modules receive: the state, the live configuration, and helpers to read requests.

export interface SandboxConfig {
  tokenLifetimeSeconds: number;
  rateLimitPerSecond: number;
  latencyMs: number;
}

export interface SandboxContext {
  state: SandboxState;
  /** Current configuration (start options, changed by POST /_sandbox/config). */
  config: SandboxConfig;
  nextId(): number;
  now(): string;
}

/** Per-request sandbox data, set by the hooks in server.ts. */
export interface RequestSandbox {
  /** Tenant resolved from the path after authentication (API routes only). */
  tenant: TenantData | undefined;
  /** `POST /crm/v2/tenant/{tenant}/customers`: the key for request counting and fault matching. */
  routeKey: string;
  /** The ignore-unit-price fault fired for this request. */
  ignoreUnitPrice: boolean;
  /** The commit-then-error fault fired: answer `status` (0 = drop the connection) after the work. */
  commitThenError: { status: number } | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    sandbox: RequestSandbox;
  }
  interface FastifyContextConfig {
    /** api: a ServiceTitan operation (authenticated, rate limited, faultable); token; control. */
    kind?: 'api' | 'token' | 'control';
  }
}

export function createContext(state: SandboxState, config: SandboxConfig): SandboxContext {
  return { state, config, nextId: () => allocateId(state), now: () => isoNow() };
}

export function tenantOf(request: FastifyRequest): TenantData {
  const tenant = request.sandbox.tenant;
  if (!tenant) throw new Error('API route reached without an authenticated tenant');
  return tenant;
}

export function queryOf(request: FastifyRequest): QueryReader {
  return new QueryReader(request.query);
}

/** A numeric path parameter; a non-number is a 404 like ASP.NET's route constraints give. */
export function pathId(request: FastifyRequest, name = 'id'): number {
  const raw = (request.params as Record<string, string | undefined>)[name] ?? '';
  if (!/^\d{1,16}$/.test(raw)) throw notFound(`No resource matches '${raw}' for ${name}.`);
  return Number(raw);
}

/** Looks up `id` in `map` or answers 404 naming the entity. */
export function found<T>(map: Map<number, T>, id: number, entity: string): T {
  const value = map.get(id);
  if (value === undefined) throw notFound(`${entity} with id ${id} was not found.`, 'id');
  return value;
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

export interface ApiRouter {
  get(path: string, handler: Handler): void;
  post(path: string, handler: Handler): void;
  put(path: string, handler: Handler): void;
  patch(path: string, handler: Handler): void;
  delete(path: string, handler: Handler): void;
}

/** Registers ST operations under `/{module}/v2/tenant/:tenant`; paths use `{param}` like the specs. */
export function apiRouter(app: FastifyInstance, module: string): ApiRouter {
  const add = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE') => (path: string, handler: Handler) => {
    const url = `/${module}/v2/tenant/:tenant${path.replace(/\{(\w+)\}/g, ':$1')}`;
    app.route({ method, url, config: { kind: 'api' }, handler: async (req, reply) => handler(req, reply) });
  };
  return { get: add('GET'), post: add('POST'), put: add('PUT'), patch: add('PATCH'), delete: add('DELETE') };
}

/** `/crm/v2/tenant/:tenant/customers/:id` → `/crm/v2/tenant/{tenant}/customers/{id}`. */
export function routeTemplate(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}
