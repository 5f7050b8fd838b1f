import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestAsyncHookHandler } from 'fastify';
import { HttpProblem } from '../problem.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * `Authorization: Bearer <API_TOKEN>` for `/api/*`. Both sides are hashed first so the comparison is
 * constant-time whatever the lengths (timingSafeEqual needs equal lengths).
 */
export function bearerAuth(apiToken: string): onRequestAsyncHookHandler {
  if (apiToken.length === 0) throw new Error('API_TOKEN must not be empty');
  const expected = digest(apiToken);
  return async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    const given = match?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      reply.header('www-authenticate', 'Bearer realm="order-sync"');
      throw new HttpProblem(
        401,
        given === undefined
          ? 'Send the API token as "Authorization: Bearer <API_TOKEN>".'
          : 'The bearer token is not this API’s API_TOKEN.',
      );
    }
  };
}
