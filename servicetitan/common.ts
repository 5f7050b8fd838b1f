import { z } from 'zod';
import { ServiceTitanError } from './errors.js';

/** int64 ids; real ServiceTitan ids fit in a JS number. */
export const idSchema = z.number().int();

/**
 * A string enum that keeps its known values for autocompletion but accepts values ServiceTitan
 * adds later: a new job status must not turn every job read into a parse failure.
 */
export function openEnum<const T extends string>(_values: readonly T[]) {
  return z.custom<T | (string & Record<never, never>)>((value) => typeof value === 'string', {
    message: 'expected a string',
  });
}

/**
 * Accounting money arrives as decimal strings (`"54.10"`); kept as strings so no float ever touches
 * it. A number (some endpoints, the sandbox, future versions) is converted to its decimal string.
 */
export const moneyStringSchema = z.union([z.string(), z.number().transform((n) => String(n))]);

/** A decimal amount for a request: a number or a decimal string, sent as a JSON number. */
export const decimalInputSchema = z.union([
  z.number().finite(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'expected a decimal such as "24.99"')
    .transform(Number),
]);

/** The `active` filter of most lists; ServiceTitan defaults to `True` (active only). */
export type ActiveFilter = 'True' | 'Any' | 'False';

/** Date range filters most lists share (RFC 3339, UTC). */
export interface ChangeRangeQuery {
  createdBefore?: string;
  createdOnOrAfter?: string;
  modifiedBefore?: string;
  modifiedOnOrAfter?: string;
}

/** `ids` accepts at most 50 per call (every spec says so). */
export const MAX_IDS_PER_CALL = 50;

/** Validates a request body before it leaves, so our own mistakes fail here with the field named. */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  body: z.input<S>,
  operation: string,
): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
  throw new ServiceTitanError({
    operation,
    kind: 'permanent',
    code: 'validation',
    plainMessage: `The request for ${operation} is invalid before sending it to ServiceTitan: ${where} — ${issue?.message ?? 'invalid'}`,
  });
}

/** Splits ids into chunks ServiceTitan accepts. */
export function chunkIds<T>(ids: readonly T[], size = MAX_IDS_PER_CALL): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  return chunks;
}

/** A street address as CRM writes it (`Crm.V2.Customers.CustomerAddress`). */
export const addressSchema = z.object({
  street: z.string().min(1),
  unit: z.string().nullish(),
  city: z.string().min(1),
  state: z.string().min(1),
  zip: z.string().min(1),
  country: z.string().min(1),
  latitude: z.number().nullish(),
  longitude: z.number().nullish(),
});
export type Address = z.infer<typeof addressSchema>;

/** The same address as read back; loose so extra fields from ServiceTitan do not break parsing. */
export const addressResponseSchema = z.looseObject({
  street: z.string().nullish(),
  unit: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  zip: z.string().nullish(),
  country: z.string().nullish(),
  latitude: z.number().nullish(),
  longitude: z.number().nullish(),
});
export type AddressResponse = z.infer<typeof addressResponseSchema>;

/** `{ id, name }` references in responses. */
export const namedRefSchema = z.looseObject({ id: idSchema, name: z.string().nullish() });

/** Custom field values as read (`{ typeId, name, value }`). */
export const customFieldResponseSchema = z.looseObject({
  typeId: idSchema.nullish(),
  name: z.string().nullish(),
  value: z.string().nullish(),
});

/** Custom field values as written. */
export const customFieldUpdateSchema = z.object({ typeId: idSchema, value: z.string() });
