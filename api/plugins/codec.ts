import type { PayloadCodec } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearerAuth } from './auth.js';

/** A payload as the Temporal UI sends it to a codec server: metadata values and data in base64. */
const jsonPayloadSchema = z.object({
  metadata: z.record(z.string(), z.string()).optional(),
  data: z.string().optional(),
});
const codecBodySchema = z.object({ payloads: z.array(jsonPayloadSchema) });
type JsonPayload = z.infer<typeof jsonPayloadSchema>;

const fromJson = (p: JsonPayload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  ),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});
const toJson = (p: {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export interface CodecPluginOptions {
  codec: PayloadCodec;
  apiToken: string;
  /** The Temporal UI's origin, allowed to call from the browser (CORS). */
  uiOrigin?: string | undefined;
}

/**
 * The codec server of the Temporal UI (`POST /codec/decode`, `/codec/encode`): an operator's UI shows
 * encrypted payloads in clear through it. It decrypts everything, so it takes the API token like
 * `/api/*` (put it behind the operators' auth proxy, or have the proxy add the header) and answers
 * browsers only from the Temporal UI's origin.
 */
export async function codecPlugin(app: FastifyInstance, options: CodecPluginOptions) {
  const origin = options.uiOrigin ? new URL(options.uiOrigin).origin : undefined;
  app.addHook('onRequest', async (request, reply) => {
    if (origin && request.headers.origin === origin) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('access-control-allow-headers', 'authorization, content-type, x-namespace');
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('vary', 'origin');
    }
  });
  app.options('/codec/*', async (_request, reply) => reply.code(204).send());

  const authed = app.withTypeProvider<ZodTypeProvider>();
  const auth = bearerAuth(options.apiToken);
  for (const action of ['encode', 'decode'] as const) {
    authed.post(
      `/codec/${action}`,
      {
        onRequest: auth,
        schema: {
          tags: ['operations'],
          summary: `${action === 'decode' ? 'Decrypts' : 'Encrypts'} Temporal payloads for the Temporal UI (codec server)`,
          body: codecBodySchema,
          response: { 200: codecBodySchema },
        },
      },
      async (request) => {
        const payloads = request.body.payloads.map(fromJson);
        const result = await options.codec[action](payloads);
        return { payloads: result.map(toJson) };
      },
    );
  }
}
