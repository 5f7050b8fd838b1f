import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { type TemporalAccess, withDeadline } from '../temporal-calls.js';

export interface HealthPluginOptions {
  db: Database;
  temporal: TemporalAccess;
  timeoutMs?: number;
}

const checkSchema = z.object({ ok: z.boolean(), message: z.string() });
const readinessSchema = z.object({ ready: z.boolean(), database: checkSchema, temporal: checkSchema });

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const healthPlugin: FastifyPluginAsyncZod<HealthPluginOptions> = async (app, options) => {
  const { db, temporal } = options;
  const timeoutMs = options.timeoutMs ?? 3000;

  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: the process answers',
        tags: ['health'],
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async () => ({ ok: true as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: the database and Temporal are reachable',
        description:
          'Webhooks are still accepted while Temporal is down (they wait in the inbox), but a load balancer should prefer instances that can dispatch.',
        tags: ['health'],
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const [database, temporalCheck] = await Promise.all([
        timeout(db.execute(sql`select 1`), timeoutMs, 'The database')
          .then(() => ({ ok: true, message: 'reachable' }))
          .catch((error: unknown) => ({ ok: false, message: `unreachable: ${describe(error)}` })),
        withDeadline(temporal.client, timeoutMs, () => temporal.client.workflowService.getSystemInfo({}))
          .then(() => ({ ok: true, message: 'reachable' }))
          .catch((error: unknown) => ({ ok: false, message: `unreachable: ${describe(error)}` })),
      ]);
      const ready = database.ok && temporalCheck.ok;
      return reply.code(ready ? 200 : 503).send({ ready, database, temporal: temporalCheck });
    },
  );
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
