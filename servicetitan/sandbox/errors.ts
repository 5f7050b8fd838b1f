import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';

// ServiceTitan answers errors with an RFC 7807 body (`ApiErrorResponse` in every spec):
// { type, title, status, traceId, errors: { field: [messages] }, data: {} }.

export interface ApiErrorBody {
  type: string;
  title: string;
  status: number;
  traceId: string;
  errors: Record<string, string[]>;
  data: Record<string, unknown>;
}

const PROBLEM_TYPES: Record<number, string> = {
  400: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
  401: 'https://tools.ietf.org/html/rfc7235#section-3.1',
  403: 'https://tools.ietf.org/html/rfc7231#section-6.5.3',
  404: 'https://tools.ietf.org/html/rfc7231#section-6.5.4',
  409: 'https://tools.ietf.org/html/rfc7231#section-6.5.8',
  413: 'https://tools.ietf.org/html/rfc7231#section-6.5.11',
  415: 'https://tools.ietf.org/html/rfc7231#section-6.5.13',
  422: 'https://tools.ietf.org/html/rfc4918#section-11.2',
  429: 'https://tools.ietf.org/html/rfc6585#section-4',
  500: 'https://tools.ietf.org/html/rfc7231#section-6.6.1',
  502: 'https://tools.ietf.org/html/rfc7231#section-6.6.3',
  503: 'https://tools.ietf.org/html/rfc7231#section-6.6.4',
  504: 'https://tools.ietf.org/html/rfc7231#section-6.6.5',
};

export const VALIDATION_TITLE = 'One or more validation errors occurred.';

/** W3C trace-context id, the form ASP.NET puts in `traceId`. */
export function traceId(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
}

export function problem(
  status: number,
  title: string,
  errors: Record<string, string[]> = {},
  data: Record<string, unknown> = {},
): ApiErrorBody {
  return {
    type: PROBLEM_TYPES[status] ?? 'about:blank',
    title,
    status,
    traceId: traceId(),
    errors,
    data,
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly errors: Record<string, string[]> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
  }

  body(): ApiErrorBody {
    return problem(this.status, this.title, this.errors);
  }
}

/** 400 naming one field, the way ASP.NET model validation does. */
export function badRequest(field: string, message: string): ApiError {
  return new ApiError(400, VALIDATION_TITLE, { [field]: [message] });
}

export function validationFailed(errors: Record<string, string[]>): ApiError {
  return new ApiError(400, VALIDATION_TITLE, errors);
}

export function notFound(message: string, field?: string): ApiError {
  return new ApiError(404, message, field ? { [field]: [message] } : {});
}

export function conflict(message: string, field?: string): ApiError {
  return new ApiError(409, message, field ? { [field]: [message] } : {});
}

/** Installs ST-shaped answers for thrown ApiErrors, framework errors and unknown routes. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.status).headers(error.headers).type('application/json').send(error.body());
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'sandbox handler failed');
    const title =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? 'The request body is not valid JSON.'
        : status >= 500
          ? 'An unexpected error occurred.'
          : error.message;
    const errors: Record<string, string[]> = status === 400 ? { $: [error.message] } : {};
    return reply
      .code(status)
      .type('application/json')
      .send(problem(status, title, errors));
  });
  app.setNotFoundHandler((request, reply) => {
    return reply
      .code(404)
      .type('application/json')
      .send(problem(404, `No ServiceTitan sandbox route for ${request.method} ${request.url.split('?')[0]}`));
  });
}
