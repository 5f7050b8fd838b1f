import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FieldProblem } from '../domain/events.js';

/** One field's problem, `field` as a dotted path with indexes (`data.lines[0].unitPrice`). */
export const fieldProblemSchema = z.object({ field: z.string(), message: z.string() });

/**
 * RFC 9457 problem details: every error the API answers has this shape (`application/problem+json`),
 * with `errors` naming each field that is wrong, so a client can show every problem at once.
 */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.array(fieldProblemSchema).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Thrown by handlers; the error handler answers it as problem details. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }

  toProblem(): Problem {
    return problem(this.status, this.detail, this.errors);
  }
}

export function problem(status: number, detail: string, errors?: FieldProblem[]): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(errors ? { errors } : {}),
  };
}

/** Answers problem details; extra members (e.g. `warnings`) are allowed by RFC 9457. */
export function sendProblem(reply: FastifyReply, body: Problem & Record<string, unknown>): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Response schemas of the error statuses a route can answer, for the OpenAPI document. */
export function problemResponses<const S extends readonly number[]>(
  ...statuses: S
): Record<S[number], typeof problemSchema> {
  return Object.fromEntries(statuses.map((status) => [status, problemSchema])) as Record<
    S[number],
    typeof problemSchema
  >;
}

/** `/data/lines/0/sku` (a validation error's instancePath) → `data.lines[0].sku`. */
export function fieldFromInstancePath(path: string, prefix?: string): string {
  const segments = path.split('/').filter((segment) => segment !== '');
  let out = prefix ?? '';
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(root)' : out;
}
