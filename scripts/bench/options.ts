import { parseArgs } from 'node:util';

export interface BenchOptions {
  orders: number;
  tenants: number;
  latencyMs: number;
  json: boolean;
  quick: boolean;
  /** Use a running stack (DATABASE_URL, ENCRYPTION_KEY, API_URL, SANDBOX_URL) instead of starting one. */
  reuse: boolean;
  /** Activity slots of the worker the bench starts (and the direct baseline's pool size). */
  concurrency: number;
  /** Skip the direct baseline (for profiling runs only; the report then has no overhead ratio). */
  direct: boolean;
}

const usage = `npm run bench -- [--orders N] [--tenants N] [--latency-ms N] [--json] [--quick] [--reuse] [--concurrency N] [--no-direct]

  --orders N       orders to send (default 500; half at a steady rate, half as a burst)
  --tenants N      store tenants, each with its own ServiceTitan tenant and 60 req/s budget (default 1)
  --latency-ms N   latency the sandbox adds to every ServiceTitan call (default 80, plus jitter)
  --json           print one JSON line with the contracts §7 fields last
  --quick          40 orders: a smoke run in under a minute
  --reuse          use a running stack: DATABASE_URL, ENCRYPTION_KEY, API_URL, SANDBOX_URL (WORKER_PID for RSS)
  --concurrency N  worker activity slots and direct-baseline pool size (default 100)
  --no-direct      skip the direct baseline`;

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer ≥ ${min}\n\n${usage}`);
  return value;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      orders: { type: 'string' },
      tenants: { type: 'string' },
      'latency-ms': { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
      'no-direct': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  return {
    orders: positiveInt('orders', values.orders, quick ? 40 : 500, 2),
    tenants: positiveInt('tenants', values.tenants, 1),
    latencyMs: positiveInt('latency-ms', values['latency-ms'], 80, 0),
    concurrency: positiveInt('concurrency', values.concurrency, 100),
    json: values.json ?? false,
    quick,
    reuse: values.reuse ?? false,
    direct: !(values['no-direct'] ?? false),
  };
}
