import { z } from 'zod';
import { invalidArgument } from './http.js';

/**
 * externalData is a per-application key/value bag on customers, locations, jobs and pricebook items.
 * Items written under one application GUID are only visible to calls that give the same GUID, which
 * is what makes it a safe place for this product's idempotency markers (architecture rule 2).
 */

/** One key/value pair as read back. */
export const externalDataEntrySchema = z.looseObject({ key: z.string(), value: z.string().nullish() });
export type ExternalDataEntry = z.infer<typeof externalDataEntrySchema>;

/** `externalData` in responses; absent or null becomes `[]`. */
export const externalDataListSchema = z
  .array(externalDataEntrySchema)
  .nullish()
  .transform((list) => list ?? []);

/** Written on create (`ExternalDataCreateRequest`). */
export const externalDataCreateSchema = z.object({
  applicationGuid: z.guid(),
  externalData: z.array(z.object({ key: z.string().min(1), value: z.string() })),
});
export type ExternalDataCreate = z.infer<typeof externalDataCreateSchema>;

export const externalDataPatchModeSchema = z.enum(['Replace', 'Merge']);

/** Written on update (`ExternalDataUpdateRequest`): `Replace` (default) or `Merge`; a null value deletes the key. */
export const externalDataUpdateSchema = z.object({
  patchMode: externalDataPatchModeSchema.optional(),
  applicationGuid: z.guid(),
  externalData: z.array(z.object({ key: z.string().min(1), value: z.string().nullable().optional() })),
});
export type ExternalDataUpdate = z.infer<typeof externalDataUpdateSchema>;

/** The list filter trio. ServiceTitan takes at most 50 values and needs key and values together. */
export interface ExternalDataQuery {
  externalDataApplicationGuid?: string;
  externalDataKey?: string;
  /** Comma-joined on the wire. */
  externalDataValues?: readonly string[];
}

export const MAX_EXTERNAL_DATA_VALUES = 50;

/** `externalData` for a create call: one marker under `applicationGuid`. */
export function externalDataFor(applicationGuid: string, key: string, value: string): ExternalDataCreate {
  return { applicationGuid, externalData: [{ key, value }] };
}

/** The list filter that finds entities carrying `key` with any of `values` under `applicationGuid`. */
export function externalDataFilter(
  applicationGuid: string,
  key: string,
  values: string | readonly string[],
): Required<ExternalDataQuery> {
  const list = typeof values === 'string' ? [values] : values;
  if (list.length === 0 || list.length > MAX_EXTERNAL_DATA_VALUES) {
    throw invalidArgument(
      'externalData filter',
      `An externalData lookup needs between 1 and ${MAX_EXTERNAL_DATA_VALUES} values, got ${list.length}`,
    );
  }
  // ServiceTitan splits the list on commas, so a comma inside a value would match something else.
  for (const value of list) {
    if (value.includes(',')) {
      throw invalidArgument(
        'externalData filter',
        `externalData value "${value}" contains a comma and cannot be searched`,
      );
    }
  }
  return { externalDataApplicationGuid: applicationGuid, externalDataKey: key, externalDataValues: list };
}

/** `externalData` for a PATCH that sets (or, with `null`, removes) keys and leaves other keys alone. */
export function externalDataMerge(
  applicationGuid: string,
  entries: Record<string, string | null>,
): ExternalDataUpdate {
  return {
    patchMode: 'Merge',
    applicationGuid,
    externalData: Object.entries(entries).map(([key, value]) => ({ key, value })),
  };
}

/** The value of `key` on an entity read back with our GUID, if present. */
export function readExternalData(
  entity: { externalData?: readonly ExternalDataEntry[] | null | undefined },
  key: string,
): string | undefined {
  return entity.externalData?.find((entry) => entry.key === key)?.value ?? undefined;
}
