import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const DOCS_PREFIX = '/docs';

/**
 * The OpenAPI document, generated from the same zod schemas that validate requests, served at /docs
 * (UI) and /docs/json. Must be registered before the routes it documents.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ServiceTitan order sync API',
        description:
          'Receives Contractor Commerce webhooks (Standard Webhooks signatures), configures tenants and their sync settings against live ServiceTitan data, and lets operators follow and retry order syncs. `/api/*` needs `Authorization: Bearer <API_TOKEN>`; webhooks authenticate by signature only.',
        version: '1.0.0',
      },
      tags: [
        { name: 'webhooks', description: 'Events from the store' },
        { name: 'configuration', description: 'Tenants, ServiceTitan connection, drop-downs and settings' },
        { name: 'operations', description: 'Orders and subscriptions' },
        { name: 'health', description: 'Liveness, readiness and metrics' },
      ],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'API_TOKEN' } },
      },
    },
    transform: createJsonSchemaTransform({
      skipList: [
        DOCS_PREFIX,
        `${DOCS_PREFIX}/`,
        `${DOCS_PREFIX}/*`,
        `${DOCS_PREFIX}/json`,
        `${DOCS_PREFIX}/yaml`,
      ],
    }),
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
}
