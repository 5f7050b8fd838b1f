import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type FetchLike, keepAliveFetch } from './fetch.js';
import { type HttpMethod, SpecValidator, type StModule, specDirectory } from './sandbox/spec-validator.js';

// Test support, not part of the client (index.ts does not export it): records every exchange the
// client makes and checks each against ServiceTitan's official OpenAPI documents — the path exists,
// the request body matches the operation's request schema, the answer matches the documented
// response for its status.

export interface Exchange {
  method: HttpMethod;
  url: string;
  module: StModule | undefined;
  /** The spec's path template, e.g. `/tenant/{tenant}/customers/{id}`; undefined if none matches. */
  specPath: string | undefined;
  requestBody: unknown;
  status: number;
  responseText: string;
}

const MODULES = new Set<string>([
  'accounting',
  'crm',
  'dispatch',
  'jpm',
  'marketing',
  'pricebook',
  'settings',
]);

interface Template {
  path: string;
  pattern: RegExp;
  literalSegments: number;
}

export class SpecRecorder {
  readonly exchanges: Exchange[] = [];
  /** `METHOD /module/v2/tenant/{tenant}/…` of every exchange seen, for coverage checks. */
  readonly covered = new Set<string>();
  private checked = 0;
  private readonly templates = new Map<StModule, Template[]>();

  private constructor(
    private readonly validator: SpecValidator,
    private readonly dir: string,
    private readonly inner: FetchLike,
    private readonly extensions: ReadonlySet<string>,
  ) {}

  /** A recorder, or the reason the specs are unavailable (for `describe.skipIf`). */
  static tryCreate(
    options: {
      inner?: FetchLike;
      /** Extra response fields to accept (a server's documented extensions of ServiceTitan's shapes). */
      extensions?: readonly string[];
    } = {},
  ): { recorder: SpecRecorder; reason?: undefined } | { recorder?: undefined; reason: string } {
    const found = specDirectory();
    if (!found.dir)
      return { reason: 'reason' in found ? found.reason : 'ServiceTitan OpenAPI specs not found' };
    return {
      recorder: new SpecRecorder(
        SpecValidator.load(found.dir),
        found.dir,
        options.inner ?? keepAliveFetch,
        new Set(options.extensions ?? []),
      ),
    };
  }

  /** Pass this as the client's `fetch`. Token requests go through unrecorded. */
  readonly fetch: FetchLike = async (url, init) => {
    const response = await this.inner(url, init);
    const text = await response.text();
    const { pathname } = new URL(url);
    const module = pathname.split('/')[1];
    if (module && MODULES.has(module)) {
      const m = module as StModule;
      const specPath = this.templateOf(m, pathname.slice(`/${m}/v2`.length));
      const method = init.method.toUpperCase() as HttpMethod;
      this.exchanges.push({
        method,
        url,
        module: m,
        specPath,
        requestBody: init.body === undefined ? undefined : JSON.parse(init.body),
        status: response.status,
        responseText: text,
      });
      if (specPath) this.covered.add(`${method} /${m}/v2${specPath}`);
    }
    return { status: response.status, headers: response.headers, text: async () => text };
  };

  /** Problems in the exchanges recorded since the last call (one line each; empty when all conform). */
  violations(): string[] {
    const fresh = this.exchanges.slice(this.checked);
    this.checked = this.exchanges.length;
    return fresh.flatMap((exchange) => this.check(exchange));
  }

  check(exchange: Exchange): string[] {
    const where = `${exchange.method} ${exchange.url}`;
    if (!exchange.module || !exchange.specPath) return [`${where}: no such path in the ServiceTitan spec`];
    const { module, method, specPath } = exchange;
    if (!this.validator.has(module, method, specPath))
      return [`${where}: the spec has no ${method} ${specPath}`];
    const problems: string[] = [];
    const requestCheck = this.validator.request(module, method, specPath);
    if (exchange.requestBody !== undefined) {
      if (!requestCheck) problems.push(`${where}: sent a body, but the operation takes none`);
      else problems.push(...requestCheck(exchange.requestBody).errors.map((e) => `${where} request ${e}`));
    }
    let body: unknown;
    try {
      body = exchange.responseText.trim() === '' ? undefined : JSON.parse(exchange.responseText);
    } catch {
      return [...problems, `${where}: response is not JSON`];
    }
    try {
      const responseCheck = this.validator.response(module, method, specPath, exchange.status);
      const errors = responseCheck(body).errors.filter((e) => !this.isExtension(e));
      problems.push(...errors.map((e) => `${where} response ${exchange.status} ${e}`));
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
    return problems;
  }

  private isExtension(error: string): boolean {
    const match = /must NOT have additional properties '([^']+)'$/.exec(error);
    return match?.[1] !== undefined && this.extensions.has(match[1]);
  }

  /** Maps a concrete path (`/tenant/1/customers/5`) to the spec's template, preferring literal matches. */
  private templateOf(module: StModule, path: string): string | undefined {
    const matches = this.templatesFor(module).filter((t) => t.pattern.test(path));
    matches.sort((a, b) => b.literalSegments - a.literalSegments);
    return matches[0]?.path;
  }

  private templatesFor(module: StModule): Template[] {
    let list = this.templates.get(module);
    if (!list) {
      const doc = JSON.parse(readFileSync(resolve(this.dir, `${module}-v2.json`), 'utf8')) as {
        paths: Record<string, unknown>;
      };
      list = Object.keys(doc.paths).map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        literalSegments: path.split('/').filter((s) => s !== '' && !s.startsWith('{')).length,
      }));
      this.templates.set(module, list);
    }
    return list;
  }
}
