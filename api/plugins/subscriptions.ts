import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cancelSignal,
  pauseSignal,
  resumeSignal,
  scheduleQuery,
  skipNextSignal,
  subscriptionWorkflowId,
} from '../../workflows/subscription-definitions.js';
import { HttpProblem, problemResponses } from '../problem.js';
import { subscriptionParamsSchema } from '../route-params.js';
import { describeOrNull, type TemporalAccess, temporalUiLink, withDeadline } from '../temporal-calls.js';
import { workflowRun } from './orders.js';

export interface SubscriptionsPluginOptions {
  temporal: TemporalAccess;
  temporalTimeoutMs: number;
}

const cycleSchema = z.looseObject({
  cycle: z.number(),
  date: z.string(),
  state: z.string().describe('scheduled, skipped, job_created, paid, needs_attention or canceled'),
  jobIds: z.array(z.number()),
  invoiceIds: z.array(z.number()),
  paymentId: z.number().nullable(),
  note: z.string().nullable(),
});

/** The subscription workflow's `schedule` query answer (workflows/subscription-definitions.ts). */
const scheduleSchema = z.looseObject({
  tenantId: z.string(),
  subscriptionId: z.string(),
  status: z.string().describe('active, paused or canceled'),
  nextCycleDate: z.string().nullable(),
  cycles: z.array(cycleSchema),
});

const ACTIONS = {
  pause: pauseSignal,
  resume: resumeSignal,
  'skip-next': skipNextSignal,
  cancel: cancelSignal,
} as const;

export const subscriptionsPlugin: FastifyPluginAsyncZod<SubscriptionsPluginOptions> = async (
  app,
  options,
) => {
  const { temporal, temporalTimeoutMs } = options;
  const { client } = temporal;
  const temporalCall = <T>(fn: () => Promise<T>) => withDeadline(client, temporalTimeoutMs, fn);

  async function requireWorkflow(tenantId: string, subscriptionId: string) {
    const workflowId = subscriptionWorkflowId(tenantId, subscriptionId);
    const handle = client.workflow.getHandle(workflowId);
    const description = await temporalCall(() => describeOrNull(handle)).catch((error: unknown) => {
      throw new HttpProblem(503, `Temporal could not be reached; try again shortly (${message(error)}).`);
    });
    if (!description) {
      throw new HttpProblem(
        404,
        `Subscription "${subscriptionId}" of tenant "${tenantId}" has no workflow: its first order has not been synced yet, or the id is wrong.`,
      );
    }
    return { workflowId, handle, description };
  }

  app.get(
    '/subscriptions/:tenantId/:subscriptionId',
    {
      schema: {
        summary: 'A subscription’s schedule: next cycle date and each cycle’s job, invoice and payment',
        tags: ['operations'],
        security: [{ bearerAuth: [] }],
        params: subscriptionParamsSchema,
        response: {
          200: z.object({
            workflowId: z.string(),
            temporalUrl: z.string().nullable(),
            workflow: z.object({
              runId: z.string(),
              status: z.string(),
              startTime: z.string(),
              closeTime: z.string().nullable(),
            }),
            schedule: scheduleSchema,
          }),
          ...problemResponses(401, 404, 503),
        },
      },
    },
    async (request) => {
      const { tenantId, subscriptionId } = request.params;
      const { workflowId, handle, description } = await requireWorkflow(tenantId, subscriptionId);
      let schedule: unknown;
      try {
        schedule = await temporalCall(() => handle.query(scheduleQuery));
      } catch (error) {
        throw new HttpProblem(
          503,
          `The subscription workflow did not answer its schedule query (is a worker running on task queue "${description.taskQueue}"?): ${message(error)}`,
        );
      }
      return {
        workflowId,
        temporalUrl: temporalUiLink(temporal, workflowId),
        workflow: workflowRun(description),
        schedule: scheduleSchema.parse(schedule),
      };
    },
  );

  app.post(
    '/subscriptions/:tenantId/:subscriptionId/:action',
    {
      schema: {
        summary: 'Operator actions on a subscription: pause, resume, skip-next, cancel',
        tags: ['operations'],
        security: [{ bearerAuth: [] }],
        params: subscriptionParamsSchema.extend({
          action: z.enum(['pause', 'resume', 'skip-next', 'cancel'], {
            error: 'action must be one of pause, resume, skip-next, cancel',
          }),
        }),
        body: z
          .object({
            reason: z.string().max(500).optional().describe('Why (cancel only); shown in the schedule'),
          })
          // Fastify hands a request without a body to the validator as null.
          .nullish(),
        response: {
          202: z.object({ workflowId: z.string(), action: z.string(), signal: z.string() }),
          ...problemResponses(400, 401, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const { tenantId, subscriptionId, action } = request.params;
      const { workflowId, handle, description } = await requireWorkflow(tenantId, subscriptionId);
      if (description.status.name !== 'RUNNING') {
        throw new HttpProblem(
          409,
          `Subscription "${subscriptionId}" has ended (its workflow is ${description.status.name}); there is nothing to ${action}.`,
        );
      }
      const signal = ACTIONS[action];
      if (action === 'cancel') {
        const reason = request.body?.reason;
        await temporalCall(() => handle.signal(cancelSignal, reason ? { reason } : {}));
      } else {
        await temporalCall(() => handle.signal(signal as typeof pauseSignal));
      }
      request.log.info({ workflowId, action }, 'subscription action signaled');
      return reply.code(202).send({ workflowId, action, signal: signal.name });
    },
  );
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
