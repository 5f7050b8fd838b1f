import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { SecretKeyError } from '../db/secret-box.js';
import { isServiceTitanError } from '../servicetitan/errors.js';
import { isDatabaseUnavailable } from './database-errors.js';
import { fieldFromInstancePath, HttpProblem, problem, sendProblem } from './problem.js';
import { isTemporalUnavailable } from './temporal-calls.js';

/** Every error becomes problem details that say what to do; unexpected ones are logged, not echoed. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HttpProblem) {
    return sendProblem(reply, error.toProblem());
  }

  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext;
    const errors = error.validation.map((issue) => ({
      field: fieldFromInstancePath(issue.instancePath, context && context !== 'body' ? context : undefined),
      message: issue.message ?? 'is invalid',
    }));
    return sendProblem(
      reply,
      problem(400, `The request is invalid: fix each field listed in "errors".`, errors),
    );
  }

  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, problem(413, 'The body is larger than 1 MiB, the most this API accepts.'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(reply, problem(415, 'Send the body as application/json.'));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendProblem(reply, problem(400, `The body is not valid JSON: ${error.message}`));
  }
  if (error.name === 'SyntaxError' && error.statusCode === 400) {
    return sendProblem(reply, problem(400, `The body is not valid JSON: ${error.message}`));
  }

  if (isServiceTitanError(error)) {
    request.log.warn({ err: error.toJSON() }, 'ServiceTitan call failed');
    return sendProblem(reply, problem(502, `ServiceTitan: ${error.plainMessage}`));
  }

  if (isDatabaseUnavailable(error)) {
    request.log.error({ err: error }, 'database unavailable');
    return sendProblem(reply, problem(503, 'The database is unavailable; try again shortly.'));
  }

  if (isTemporalUnavailable(error)) {
    request.log.warn({ err: error }, 'Temporal unavailable');
    return sendProblem(reply, problem(503, 'Temporal could not be reached; try again shortly.'));
  }

  if ((error as unknown) instanceof SecretKeyError) {
    // A deployment problem (wrong ENCRYPTION_KEY), not a request problem; the message says what to fix.
    request.log.error({ err: error }, 'stored secrets cannot be read');
    return sendProblem(reply, problem(500, error.message));
  }

  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status < 500) return sendProblem(reply, problem(status, error.message));
  request.log.error({ err: error }, 'unexpected error');
  return sendProblem(
    reply,
    problem(500, `Unexpected error; the API log has the details under request id ${request.id}.`),
  );
}
