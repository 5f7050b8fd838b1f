import { z } from 'zod';
import { ApiError, VALIDATION_TITLE } from './errors.js';

// Request bodies are checked with zod the way ST's ASP.NET model binding behaves: unknown fields are
// ignored (zod strips them), a missing required field or a wrong-typed value is a 400 naming the field.

function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '$' : out;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = body;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null) {
    throw new ApiError(400, VALIDATION_TITLE, { $: ['A non-empty request body is required.'] });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const field = fieldName(issue.path);
    const missing = issue.code === 'invalid_type' && valueAt(body, issue.path) === undefined;
    const message = missing ? `The ${field} field is required.` : issue.message;
    errors[field] = [...(errors[field] ?? []), message];
  }
  throw new ApiError(400, VALIDATION_TITLE, errors);
}

/** An RFC 3339 date-time string (ST's `date-time` fields). */
export const isoDateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'Expected an RFC 3339 date-time.');
