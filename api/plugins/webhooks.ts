import type { FastifySchemaCompiler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { type SecretBox, SecretKeyError } from '../../db/secret-box.js';
import { formatZodIssues, webhookEventSchema } from '../../domain/events.js';
import { isDatabaseUnavailable } from '../database-errors.js';
import { workflowIdForEvent } from '../event-workflows.js';
import { storeInboxEvent } from '../inbox.js';
import type { ApiMetrics, WebhookRejection } from '../metrics.js';
import { HttpProblem, problemResponses } from '../problem.js';
import {
  loadWebhookSecrets,
  peekTenantId,
  readSignatureHeaders,
  verifySignature,
} from '../webhook-signature.js';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhooksPluginOptions {
  db: Database;
  secrets: SecretBox;
  metrics: ApiMetrics;
  /** Wakes the dispatcher right after an insert, so dispatch does not wait for its next poll. */
  onEventStored?: () => void;
}

// The body is verified before it is validated (a 400 must not tell an unsigned caller what a valid
// order looks like), so the route schema documents the body but does not validate it.
const documentOnly: FastifySchemaCompiler<unknown> = () => (data) => ({ value: data });

const STORE_UNAVAILABLE =
  'The event could not be stored (the database is unavailable); it was not accepted. Deliver it again later.';

const NOT_VERIFIABLE =
  'The signature cannot be verified right now (a configuration problem on this side); the event was not accepted. Deliver it again later.';

export const webhooksPlugin: FastifyPluginAsyncZod<WebhooksPluginOptions> = async (app, options) => {
  const { db, secrets, metrics } = options;

  // Signatures cover the exact bytes sent, so the body is kept as the raw string.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  const reject = (reason: WebhookRejection) => metrics.webhooksRejected.inc({ reason });
  app.addHook('onError', async (_request, _reply, error) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') reject('too_large');
  });

  app.post(
    '/webhooks/contractor-commerce',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      validatorCompiler: documentOnly,
      schema: {
        summary: 'Receive a Contractor Commerce event (Standard Webhooks signed)',
        description:
          'Verifies the Standard Webhooks signature with the tenant’s webhook secret(s), validates the event and stores it in the inbox before answering. Workflows are started from the inbox afterwards, so the answer takes milliseconds and no stored event is lost while Temporal is down.',
        tags: ['webhooks'],
        headers: z.object({
          'webhook-id': z.string().describe('Unique event id; a redelivery repeats it'),
          'webhook-timestamp': z.string().describe('Unix seconds; more than 5 minutes off is refused'),
          'webhook-signature': z
            .string()
            .describe('v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{raw body}">'),
        }),
        body: webhookEventSchema,
        response: {
          202: z.object({ eventId: z.string(), workflowId: z.string() }).describe('Stored; dispatched soon'),
          200: z
            .object({ duplicate: z.literal(true), workflowId: z.string().nullable() })
            .describe('This event id was already received'),
          ...problemResponses(400, 401, 404, 413, 503),
        },
      },
    },
    async (request, reply) => {
      const rawBody = typeof request.body === 'string' ? request.body : '';

      const signatureHeaders = readSignatureHeaders(request.headers);
      if (!signatureHeaders.ok) {
        reject('signature');
        throw new HttpProblem(
          401,
          `Missing Standard Webhooks header(s): ${signatureHeaders.missing.join(', ')}. Sign the delivery with the tenant's webhook secret.`,
        );
      }

      const peeked = peekTenantId(rawBody);
      if (!peeked) {
        reject('invalid');
        throw new HttpProblem(
          400,
          'The body must be a JSON object with a "tenantId" (needed to find the secret that verifies the signature).',
          [{ field: 'tenantId', message: 'is required' }],
        );
      }

      let tenantSecrets: string[] | undefined;
      try {
        tenantSecrets = await loadWebhookSecrets(db, secrets, peeked.tenantId);
      } catch (error) {
        reject('unavailable');
        if (error instanceof SecretKeyError) {
          // A deployment problem: the store should keep retrying until ENCRYPTION_KEY is fixed.
          request.log.error({ err: error }, 'webhook: the tenant’s webhook secrets cannot be decrypted');
          throw new HttpProblem(503, NOT_VERIFIABLE);
        }
        request.log.error({ err: error }, 'webhook: could not read the tenant');
        throw new HttpProblem(503, STORE_UNAVAILABLE);
      }
      if (!tenantSecrets) {
        reject('unknown_tenant');
        throw new HttpProblem(
          404,
          `Tenant "${peeked.tenantId}" is not configured here; create it with PUT /api/tenants/${peeked.tenantId} or check the store's tenant id.`,
        );
      }

      const verified = verifySignature(rawBody, signatureHeaders.headers, tenantSecrets);
      if (!verified.ok) {
        reject('signature');
        throw new HttpProblem(401, `Signature rejected: ${verified.reason}.`);
      }

      // Only now is the body trusted enough to be read.
      const parsed = webhookEventSchema.safeParse(peeked.parsed);
      if (!parsed.success) {
        reject('invalid');
        const errors = formatZodIssues(parsed.error);
        throw new HttpProblem(
          400,
          `The event is invalid: ${errors.length} problem${errors.length === 1 ? '' : 's'}; fix each field listed in "errors".`,
          errors,
        );
      }
      const event = parsed.data;
      const eventId = signatureHeaders.headers['webhook-id'];
      const workflowId = workflowIdForEvent(event);

      let result: Awaited<ReturnType<typeof storeInboxEvent>>;
      try {
        result = await storeInboxEvent(db, {
          eventId,
          tenantId: event.tenantId,
          type: event.type,
          payload: event,
          workflowId,
        });
      } catch (error) {
        // Never a 2xx for an event that is not stored: the store keeps retrying until it is.
        reject('unavailable');
        request.log.error(
          { err: error, eventId, databaseUnavailable: isDatabaseUnavailable(error) },
          'webhook: could not store the event',
        );
        throw new HttpProblem(503, STORE_UNAVAILABLE);
      }

      if (!result.stored) {
        metrics.webhooksDuplicate.inc();
        request.log.info({ eventId, workflowId: result.workflowId }, 'webhook: duplicate delivery');
        return reply.code(200).send({ duplicate: true, workflowId: result.workflowId });
      }
      metrics.webhooksReceived.inc({ type: event.type });
      request.log.info(
        { eventId, type: event.type, tenantId: event.tenantId, workflowId },
        'webhook: stored',
      );
      options.onEventStored?.();
      return reply.code(202).send({ eventId, workflowId });
    },
  );
};
