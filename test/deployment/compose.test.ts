import { existsSync, readFileSync } from 'node:fs';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseApiEnv } from '../../api/main.js';
import { parseSetupEnv } from '../../scripts/setup.js';
import { repoRoot } from '../../scripts/tools/paths.js';
import { parseWorkerEnv } from '../../worker.js';

// No Docker engine runs here: these checks read docker-compose.yml and the Dockerfile and hold every
// command, port and variable in them against the code that reads them.

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  init?: boolean;
  stop_grace_period?: string;
}

const read = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');

/** Variables a compose user may set, with the value each test run pretends they chose. */
const USER_VARIABLES: Record<string, string> = {
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  API_TOKEN: 'compose-test-token-0123456789',
};

/** Compose's own interpolation: ${VAR}, ${VAR:-default} and ${VAR:?error} (the error needs the variable set). */
function interpolate(text: string, variables: Record<string, string>): string {
  return text.replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_match, name: string, kind?: string, rest?: string) => {
      const value = variables[name];
      if (value !== undefined && value !== '') return value;
      if (kind === '-') return rest ?? '';
      throw new Error(`docker-compose.yml needs ${name}: ${rest ?? 'unset'}`);
    },
  );
}

const compose = parse(interpolate(read('docker-compose.yml'), USER_VARIABLES), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};
const env = (name: string) => service(name).environment ?? {};
const packageScripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

/** Which variables a parser reads, found by handing it an environment that records every lookup. */
function variablesReadBy(parse: (source: NodeJS.ProcessEnv) => unknown): Set<string> {
  const seen = new Set<string>();
  const recorder = new Proxy({} as NodeJS.ProcessEnv, {
    get(target, key) {
      if (typeof key === 'string') seen.add(key);
      return Reflect.get(target, key);
    },
  });
  try {
    parse(recorder);
  } catch {
    // Required variables are missing from the empty recorder; only the lookups matter here.
  }
  return seen;
}

/** TEMPORAL_* variables @temporalio/envconfig reads (address, namespace, TLS, API key…). */
const temporalVariables = variablesReadBy((source) =>
  loadClientConnectConfig({ overrideEnvVars: source as Record<string, string>, disableFile: true }),
);
/** Read by the runtime rather than by our code. */
const PLATFORM_VARIABLES = new Set(['NODE_ENV']);

function expectOnlyKnownVariables(name: string, known: Set<string>) {
  const unknown = Object.keys(env(name)).filter(
    (key) => !known.has(key) && !temporalVariables.has(key) && !PLATFORM_VARIABLES.has(key),
  );
  expect(unknown, `variables of "${name}" that no code reads`).toEqual([]);
}

/** The service runs exactly the package.json script (`node --import tsx <file>`), and the file exists. */
function expectRunsScript(name: string, script: string) {
  const command = packageScripts[script];
  expect(command, `package.json script ${script}`).toMatch(/^node --import tsx \S+$/);
  expect(service(name).command).toEqual((command as string).split(' '));
  const file = (command as string).split(' ')[3] as string;
  expect(existsSync(`${repoRoot}${file}`), file).toBe(true);
}

const published = (name: string) =>
  (service(name).ports ?? []).map((mapping) => {
    const [host, container] = mapping.split(':').map(Number);
    return { host, container };
  });

describe('docker-compose.yml', () => {
  it('has the deployment of contracts §1: Postgres, Temporal on Postgres with schema and UI, setup, API, worker', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'postgres', 'setup', 'temporal', 'temporal-schema', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('recognises the variables each parser reads (control for the checks below)', () => {
    const api = variablesReadBy(parseApiEnv);
    expect([...api]).toEqual(expect.arrayContaining(['DATABASE_URL', 'ENCRYPTION_KEY', 'API_TOKEN', 'PORT']));
    expect(api.has('WORKER_MAX_CACHED_WORKFLOWS')).toBe(false);
    expect([...temporalVariables]).toEqual(
      expect.arrayContaining(['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_API_KEY', 'TEMPORAL_TLS']),
    );
  });

  it('runs the API as `npm run start:api` with exactly the variables api/main.ts and envconfig read', () => {
    expectRunsScript('api', 'start:api');
    expectOnlyKnownVariables('api', variablesReadBy(parseApiEnv));
    const parsed = parseApiEnv(env('api'));
    expect(parsed.PORT).toBe(3000);
    expect(published('api')).toEqual([{ host: 3000, container: parsed.PORT }]);
    expect(service('api').healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${parsed.PORT}/readyz`);
    expect(parsed.TEMPORAL_UI_URL).toBe(`http://localhost:${published('temporal-ui')[0]?.host}`);
  });

  it('runs the worker as `npm run start:worker` with the variables worker.ts and envconfig read', () => {
    expectRunsScript('worker', 'start:worker');
    expectOnlyKnownVariables('worker', variablesReadBy(parseWorkerEnv));
    const parsed = parseWorkerEnv(env('worker'));
    expect(parsed.TEMPORAL_TASK_QUEUE).toBe('order-sync');
    expect(service('worker').ports).toBeUndefined();
    const health = service('worker').healthcheck?.test ?? [];
    expect(health.slice(0, 4)).toEqual(['CMD', 'node', '--import', 'tsx']);
    expect(existsSync(`${repoRoot}${health[4]}`)).toBe(true);
    // Longer than worker.ts's shutdown grace time (20 s), so in-flight activities can finish.
    expect(Number.parseInt(service('worker').stop_grace_period ?? '10', 10)).toBeGreaterThan(20);
  });

  it('runs `npm run setup` once before the API and the worker', () => {
    expectRunsScript('setup', 'setup');
    expectOnlyKnownVariables('setup', variablesReadBy(parseSetupEnv));
    expect(parseSetupEnv(env('setup')).DATABASE_URL).toBe(env('api').DATABASE_URL);
    for (const name of ['api', 'worker']) {
      expect(service(name).depends_on?.setup?.condition).toBe('service_completed_successfully');
    }
    expect(service('setup').depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      temporal: { condition: 'service_healthy' },
    });
  });

  it('points every process at the same Temporal, namespace, task queue and database', () => {
    for (const name of ['api', 'worker', 'setup']) {
      const variables = env(name);
      expect(variables.TEMPORAL_ADDRESS, name).toBe(`temporal:${published('temporal')[0]?.container}`);
      expect(variables.TEMPORAL_NAMESPACE, name).toBe('default');
      const database = new URL(variables.DATABASE_URL as string);
      expect(database.hostname, name).toBe('postgres');
      expect(database.pathname, name).toBe(`/${env('postgres').POSTGRES_DB}`);
      expect(decodeURIComponent(database.password), name).toBe(env('postgres').POSTGRES_PASSWORD);
    }
    expect(env('api').TEMPORAL_TASK_QUEUE).toBe(env('worker').TEMPORAL_TASK_QUEUE);
    expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe(env('worker').TEMPORAL_ADDRESS);
  });

  it('publishes the default ports of npm start: Temporal 7233, its UI 8233', () => {
    expect(published('temporal')).toEqual([{ host: 7233, container: 7233 }]);
    expect(published('temporal-ui')).toEqual([{ host: 8233, container: 8080 }]);
  });

  it('sets Temporal up on the same Postgres: schema first, then the server, with health checks', () => {
    expect(service('temporal-schema').depends_on?.postgres?.condition).toBe('service_healthy');
    expect(service('temporal').depends_on?.['temporal-schema']?.condition).toBe(
      'service_completed_successfully',
    );
    expect(env('temporal')).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgres',
      POSTGRES_PWD: env('postgres').POSTGRES_PASSWORD,
    });
    expect(env('temporal-schema')).toMatchObject({
      SQL_HOST: 'postgres',
      SQL_PASSWORD: env('postgres').POSTGRES_PASSWORD,
    });
    for (const mount of [
      ...(service('temporal-schema').volumes ?? []),
      ...(service('temporal').volumes ?? []),
    ]) {
      const source = mount.split(':')[0] as string;
      expect(existsSync(`${repoRoot}${source.replace(/^\.\//, '')}`), source).toBe(true);
    }
    for (const name of ['postgres', 'temporal', 'api', 'worker']) {
      expect(service(name).healthcheck?.test.length, `${name} health check`).toBeGreaterThan(0);
    }
  });

  it('refuses to start without the secrets (no default encryption key or token)', () => {
    expect(() => interpolate(read('docker-compose.yml'), {})).toThrow(/ENCRYPTION_KEY/);
    expect(() => interpolate(read('docker-compose.yml'), { ENCRYPTION_KEY: 'x' })).toThrow(/API_TOKEN/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('builds on node:20-slim with production dependencies from the lockfile', () => {
    expect(dockerfile).toMatch(/^FROM node:20-slim$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('prebuilds the workflow bundle where WORKFLOW_BUNDLE_PATH points', () => {
    const bundlePath = dockerfile.match(/WORKFLOW_BUNDLE_PATH=(\S+)/)?.[1];
    expect(bundlePath).toBeDefined();
    expect(dockerfile).toContain(`scripts/build-workflow-bundle.ts ${bundlePath}`);
    expect(parseWorkerEnv({ ...env('worker'), WORKFLOW_BUNDLE_PATH: bundlePath }).WORKFLOW_BUNDLE_PATH).toBe(
      bundlePath,
    );
  });

  it('runs the API by default, as the compose file does', () => {
    const cmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)?.[1] ?? '[]') as string[];
    expect(cmd).toEqual(service('api').command);
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
  });
});
