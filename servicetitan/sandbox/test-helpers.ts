import { SANDBOX_TENANT } from './seed.js';
import { type RunningSandbox, type StartSandboxOptions, startSandbox } from './server.js';

// Plain-fetch helpers for the sandbox's own tests (they deliberately avoid the product's ST client).

export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: T;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Extra or overriding headers; a header set to undefined is removed. */
  headers?: Record<string, string | undefined>;
  /** Send no Authorization header. */
  noToken?: boolean;
}

export interface Credentials {
  tenantId: number;
  clientId: string;
  clientSecret: string;
  appKey: string;
}

export class SandboxTestClient {
  private token: string | undefined;

  constructor(
    readonly url: string,
    readonly credentials: Credentials = SANDBOX_TENANT,
  ) {}

  get tenantId(): number {
    return this.credentials.tenantId;
  }

  async requestToken(form?: Record<string, string>): Promise<CallResult<Record<string, unknown>>> {
    const body = new URLSearchParams(
      form ?? {
        grant_type: 'client_credentials',
        client_id: this.credentials.clientId,
        client_secret: this.credentials.clientSecret,
      },
    );
    const res = await fetch(`${this.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return read(res);
  }

  async accessToken(): Promise<string> {
    if (!this.token) {
      const res = await this.requestToken();
      if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
      this.token = String(res.body.access_token);
    }
    return this.token;
  }

  forgetToken(): void {
    this.token = undefined;
  }

  /** Calls an ST path such as `/crm/v2/tenant/{tenant}/customers?name=x` ({tenant} is filled in). */
  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
    const headers: Record<string, string> = { 'st-app-key': this.credentials.appKey };
    if (!options.noToken) headers.authorization = `Bearer ${await this.accessToken()}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    const res = await fetch(this.url + path.replace('{tenant}', String(this.tenantId)), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return read<T>(res);
  }

  get<T = unknown>(path: string, options?: CallOptions) {
    return this.call<T>('GET', path, options);
  }
  post<T = unknown>(path: string, body?: unknown, options?: CallOptions) {
    return this.call<T>('POST', path, { ...options, body });
  }
  patch<T = unknown>(path: string, body?: unknown, options?: CallOptions) {
    return this.call<T>('PATCH', path, { ...options, body });
  }
  put<T = unknown>(path: string, body?: unknown, options?: CallOptions) {
    return this.call<T>('PUT', path, { ...options, body });
  }
  delete<T = unknown>(path: string, options?: CallOptions) {
    return this.call<T>('DELETE', path, options);
  }

  /** Calls a /_sandbox control endpoint. */
  async control<T = unknown>(method: string, path: string, body?: unknown): Promise<CallResult<T>> {
    const res = await fetch(`${this.url}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return read<T>(res);
  }
}

async function read<T>(res: Response): Promise<CallResult<T>> {
  const text = await res.text();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

/** Starts a sandbox on a random port for one test file. */
export async function startTestSandbox(
  options: StartSandboxOptions = {},
): Promise<{ sandbox: RunningSandbox; st: SandboxTestClient }> {
  const sandbox = await startSandbox({ port: 0, ...options });
  return { sandbox, st: new SandboxTestClient(sandbox.url) };
}

export const TEST_GUID = '6f1c3a52-8d4e-4c1b-9a7e-2f5d8c9b0a11';
export const OTHER_GUID = '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b';

/** A valid appointment window `days` from now. */
export function appointment(days = 7, extra: Record<string, unknown> = {}) {
  const start = new Date(Date.now() + days * 86_400_000);
  start.setUTCHours(14, 0, 0, 0);
  const end = new Date(start.getTime() + 2 * 3_600_000);
  return { start: start.toISOString(), end: end.toISOString(), ...extra };
}
