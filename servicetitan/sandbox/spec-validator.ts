import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

// Validates requests and responses against ServiceTitan's official OpenAPI 3.0 documents (one per module).
// Used by the sandbox's conformance tests and by the client's tests; the documents are read from
// ST_OPENAPI_DIR (default ../shared/servicetitan-openapi relative to the repository root), never copied
// into the project.

export type StModule = 'accounting' | 'crm' | 'dispatch' | 'jpm' | 'marketing' | 'pricebook' | 'settings';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SchemaCheckResult {
  valid: boolean;
  /** One line per problem: `<json pointer> <message>`. */
  errors: string[];
}

/** Validates a parsed JSON body; `undefined` stands for an empty body. */
export type SchemaCheck = (body: unknown) => SchemaCheckResult;

export interface SpecOperation {
  module: StModule;
  method: HttpMethod;
  /** Path as the spec writes it, e.g. `/tenant/{tenant}/customers/{id}`. */
  specPath: string;
  operationId: string;
  /** Status codes the spec documents for this operation. */
  statuses: number[];
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODULES: readonly StModule[] = [
  'accounting',
  'crm',
  'dispatch',
  'jpm',
  'marketing',
  'pricebook',
  'settings',
];

/** The folder holding the spec files, or undefined (with the reason) when it is missing. */
export function specDirectory(): { dir: string } | { dir: undefined; reason: string } {
  const configured = process.env.ST_OPENAPI_DIR ?? '../shared/servicetitan-openapi';
  const dir = resolve(REPO_ROOT, configured);
  if (!existsSync(resolve(dir, 'crm-v2.json'))) {
    return {
      dir: undefined,
      reason: `ServiceTitan OpenAPI specs not found in ${dir} (set ST_OPENAPI_DIR to the folder holding crm-v2.json etc.)`,
    };
  }
  return { dir };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApiOperation {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: JsonObject }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonObject }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonObject> };
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const COMPOSITION = ['oneOf', 'anyOf', 'allOf', '$ref'] as const;

/**
 * Rewrites an OpenAPI 3.0 schema into JSON Schema Ajv understands: `nullable: true` becomes a `null`
 * alternative (Ajv's own `nullable` support refuses schemas without `type`, which the specs use for
 * `oneOf` wrappers), and local `$ref`s point into the module document registered under `docId`.
 */
function toJsonSchema(node: Json, docId: string): Json {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, docId));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === 'example' || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
      out[key] = `${docId}${value}`;
    } else if (key === 'properties' && isObject(value)) {
      const props: JsonObject = {};
      for (const [name, schema] of Object.entries(value)) props[name] = toJsonSchema(schema, docId);
      out[key] = props;
    } else {
      out[key] = toJsonSchema(value, docId);
    }
  }
  if (node.nullable !== true) return out;
  const composed = COMPOSITION.some((k) => k in out);
  if (!composed && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath === '' ? '(root)' : e.instancePath;
    const extra =
      e.keyword === 'additionalProperties'
        ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
          : '';
    return `${where} ${e.message ?? e.keyword}${extra}`;
  });
}

// ajv-formats ships as CommonJS; its default export arrives wrapped depending on the loader.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ??
  addFormatsImport) as unknown as (ajv: Ajv) => Ajv;

function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // ST's `duration` is a .NET TimeSpan ("08:00:00", "1.02:00:00"), not ISO 8601 ("PT8H").
  ajv.addFormat('duration', /^-?(\d+\.)?\d{1,2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/);
  ajv.addFormat('guid', /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i);
  // Descriptive formats that constrain nothing on the wire.
  for (const name of ['decimal', 'html', 'multiline', 'phone', 'password', 'binary'])
    ajv.addFormat(name, true);
  return ajv;
}

function normalisePath(module: StModule, path: string): string {
  let p = path.split('?')[0] ?? path;
  const modulePrefix = `/${module}/v2`;
  if (p.startsWith(modulePrefix)) p = p.slice(modulePrefix.length);
  if (!p.startsWith('/tenant/')) p = `/tenant/{tenant}${p.startsWith('/') ? '' : '/'}${p}`;
  return p.replace(/^\/tenant\/[^/]+/, '/tenant/{tenant}');
}

export class SpecValidator {
  private readonly docs = new Map<StModule, OpenApiDocument>();
  private readonly ajv = new Map<StModule, Ajv>();
  private readonly cache = new Map<string, SchemaCheck>();

  private constructor(private readonly dir: string) {}

  /** Loads the specs from `dir` (default: {@link specDirectory}); throws when they are absent. */
  static load(dir?: string): SpecValidator {
    const found = dir ? { dir } : specDirectory();
    if (!found.dir)
      throw new Error('reason' in found ? found.reason : 'ServiceTitan OpenAPI specs not found');
    return new SpecValidator(found.dir);
  }

  /** Like {@link load} but answers undefined (with the reason) instead of throwing, for `describe.skipIf`. */
  static tryLoad():
    | { validator: SpecValidator; reason?: undefined }
    | { validator?: undefined; reason: string } {
    const found = specDirectory();
    if (!found.dir) return { reason: 'reason' in found ? found.reason : 'specs not found' };
    return { validator: new SpecValidator(found.dir) };
  }

  private document(module: StModule): OpenApiDocument {
    let doc = this.docs.get(module);
    if (!doc) {
      doc = JSON.parse(readFileSync(resolve(this.dir, `${module}-v2.json`), 'utf8')) as OpenApiDocument;
      this.docs.set(module, doc);
    }
    return doc;
  }

  private ajvFor(module: StModule): Ajv {
    let ajv = this.ajv.get(module);
    if (!ajv) {
      ajv = createAjv();
      const docId = `st-${module}`;
      const components = toJsonSchema(this.document(module).components as unknown as Json, docId);
      ajv.addSchema({ $id: docId, components } as object);
      this.ajv.set(module, ajv);
    }
    return ajv;
  }

  private rawOperation(module: StModule, method: HttpMethod, path: string): OpenApiOperation {
    const specPath = normalisePath(module, path);
    const op = this.document(module).paths[specPath]?.[method.toLowerCase()];
    if (!op) throw new Error(`The ${module} spec has no operation ${method} ${specPath}`);
    return op;
  }

  /** Whether the spec documents `method path` (path with or without the `/{module}/v2` prefix). */
  has(module: StModule, method: HttpMethod, path: string): boolean {
    const specPath = normalisePath(module, path);
    return Boolean(this.document(module).paths[specPath]?.[method.toLowerCase()]);
  }

  operation(module: StModule, method: HttpMethod, path: string): SpecOperation {
    const op = this.rawOperation(module, method, path);
    return {
      module,
      method,
      specPath: normalisePath(module, path),
      operationId: op.operationId ?? `${method} ${path}`,
      statuses: Object.keys(op.responses ?? {}).map(Number),
    };
  }

  private compile(module: StModule, schema: JsonObject): ValidateFunction {
    return this.ajvFor(module).compile(toJsonSchema(schema, `st-${module}`) as object);
  }

  /**
   * Validator for the response of an operation at `status`. Statuses the spec does not list for the
   * operation (ST also answers 401/403/404/409/422/429 where the spec is silent) fall back to the
   * module's `ApiErrorResponse` when >= 400; an undocumented 2xx is an error. An operation whose
   * response has no content expects an empty body.
   */
  response(module: StModule, method: HttpMethod, path: string, status: number): SchemaCheck {
    const key = `res ${module} ${method} ${normalisePath(module, path)} ${status}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const op = this.rawOperation(module, method, path);
    const documented = op.responses?.[String(status)];
    let check: SchemaCheck;
    if (!documented) {
      if (status < 400) {
        throw new Error(
          `${op.operationId} does not document status ${status} (documents ${Object.keys(op.responses ?? {}).join(', ')})`,
        );
      }
      check = this.wrap(this.compile(module, { $ref: '#/components/schemas/ApiErrorResponse' }));
    } else {
      const schema = documented.content?.['application/json']?.schema;
      check = schema ? this.wrap(this.compile(module, schema)) : emptyBody;
    }
    this.cache.set(key, check);
    return check;
  }

  /** Validator for the JSON request body of an operation, or undefined when it takes none. */
  request(module: StModule, method: HttpMethod, path: string): SchemaCheck | undefined {
    const key = `req ${module} ${method} ${normalisePath(module, path)}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const op = this.rawOperation(module, method, path);
    const content = op.requestBody?.content;
    const schema = content?.['application/json']?.schema ?? Object.values(content ?? {})[0]?.schema;
    const check = schema ? this.wrap(this.compile(module, schema)) : undefined;
    if (check) this.cache.set(key, check);
    return check;
  }

  /** Validator for a named component schema, e.g. `Crm.V2.Customers.CustomerResponse`. */
  schema(module: StModule, name: string): SchemaCheck {
    const key = `schema ${module} ${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (!this.document(module).components.schemas[name])
      throw new Error(`The ${module} spec has no schema ${name}`);
    const check = this.wrap(this.compile(module, { $ref: `#/components/schemas/${name}` }));
    this.cache.set(key, check);
    return check;
  }

  /** Every module this validator can read. */
  static get modules(): readonly StModule[] {
    return MODULES;
  }

  private wrap(validate: ValidateFunction): SchemaCheck {
    return (body) => {
      const valid = validate(body) as boolean;
      return { valid, errors: valid ? [] : formatErrors(validate.errors) };
    };
  }
}

function emptyBody(body: unknown): SchemaCheckResult {
  const empty = body === undefined || body === null || body === '';
  return { valid: empty, errors: empty ? [] : ['(root) expected an empty body'] };
}
