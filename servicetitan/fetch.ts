import { Agent, fetch as undiciFetch } from 'undici';

/** The part of a fetch `Response` the client reads. */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal: AbortSignal;
}

/**
 * What the client needs from `fetch`. The global `fetch` satisfies it; tests can pass a stub.
 */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/**
 * One connection pool for the process: keep-alive sockets are reused across clients and tenants
 * (ServiceTitan is a handful of hosts), which saves a TLS handshake on almost every call.
 */
let sharedAgent: Agent | undefined;

function agent(): Agent {
  sharedAgent ??= new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connections: 64,
  });
  return sharedAgent;
}

/** undici's fetch over the shared keep-alive agent. */
export const keepAliveFetch: FetchLike = (url, init) => undiciFetch(url, { ...init, dispatcher: agent() });

/** Closes the shared agent's sockets (for clean process shutdown and test teardown). */
export async function closeKeepAliveConnections(): Promise<void> {
  const current = sharedAgent;
  sharedAgent = undefined;
  await current?.close();
}
