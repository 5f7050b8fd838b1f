import { z } from 'zod';
import { badRequest } from './errors.js';
import type { QueryReader } from './query.js';
import type { ExternalDataItem, ExternalDataStore } from './state.js';

// externalData is a per-application key/value bag: "items created with a specific guid could be
// fetched/updated/removed only when the same application guid is provided" (ST spec). Reads show the
// data of the GUID the caller names (query `externalDataApplicationGuid`, or the GUID in a create or
// patch body) and an empty list otherwise.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const guidSchema = z.string().regex(GUID, 'Expected a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).');

export const externalDataCreateSchema = z.object({
  applicationGuid: guidSchema,
  externalData: z.array(z.object({ key: z.string().min(1), value: z.string() })),
});

export const externalDataUpdateSchema = z.object({
  patchMode: z.enum(['Replace', 'Merge']).nullish(),
  applicationGuid: guidSchema,
  externalData: z.array(z.object({ key: z.string().min(1), value: z.string().nullish() })),
});

export type ExternalDataCreate = z.infer<typeof externalDataCreateSchema>;
export type ExternalDataUpdate = z.infer<typeof externalDataUpdateSchema>;

export function createExternalData(request: ExternalDataCreate | null | undefined): ExternalDataStore {
  if (!request) return {};
  return { [request.applicationGuid.toLowerCase()]: dedupe(request.externalData) };
}

/** Replace (the default) swaps the GUID's whole key set; Merge upserts keys; a null value deletes its key. */
export function applyExternalDataUpdate(store: ExternalDataStore, update: ExternalDataUpdate): void {
  const guid = update.applicationGuid.toLowerCase();
  if ((update.patchMode ?? 'Replace') === 'Replace') {
    store[guid] = dedupe(update.externalData.filter(hasValue));
  } else {
    const merged = new Map((store[guid] ?? []).map((item) => [item.key, item.value]));
    for (const item of update.externalData) {
      if (item.value === null || item.value === undefined) merged.delete(item.key);
      else merged.set(item.key, item.value);
    }
    store[guid] = [...merged].map(([key, value]) => ({ key, value }));
  }
  if (store[guid]?.length === 0) delete store[guid];
}

export function readExternalData(store: ExternalDataStore, guid: string | undefined): ExternalDataItem[] {
  if (!guid) return [];
  return (store[guid.toLowerCase()] ?? []).map((item) => ({ ...item }));
}

export interface ExternalDataFilter {
  guid: string;
  key: string;
  values: Set<string>;
}

/** The GUID to show data for: `externalDataApplicationGuid` from the query, validated. */
export function readGuidParam(q: QueryReader): string | undefined {
  const guid = q.string('externalDataApplicationGuid');
  if (guid !== undefined && !GUID.test(guid)) {
    throw badRequest('externalDataApplicationGuid', `The value '${guid}' is not a valid GUID.`);
  }
  return guid?.toLowerCase();
}

/** The `externalDataKey` + `externalDataValues` lookup, scoped to the GUID (all three are required together). */
export function readExternalDataFilter(q: QueryReader): ExternalDataFilter | undefined {
  const guid = readGuidParam(q);
  const key = q.string('externalDataKey');
  const values = q.list('externalDataValues');
  if (key === undefined && values === undefined) return undefined;
  if (key === undefined)
    throw badRequest('externalDataKey', "'externalDataKey' must be provided with 'externalDataValues'.");
  if (values === undefined) {
    throw badRequest('externalDataValues', "'externalDataValues' must be provided with 'externalDataKey'.");
  }
  if (values.length > 50)
    throw badRequest('externalDataValues', 'externalDataValues accepts at most 50 values.');
  if (guid === undefined) {
    throw badRequest(
      'externalDataApplicationGuid',
      'externalData lookups need externalDataApplicationGuid: data is only visible to the application that wrote it.',
    );
  }
  return { guid, key, values: new Set(values) };
}

export function matchesExternalData(
  store: ExternalDataStore,
  filter: ExternalDataFilter | undefined,
): boolean {
  if (!filter) return true;
  return (store[filter.guid] ?? []).some((item) => item.key === filter.key && filter.values.has(item.value));
}

function hasValue(item: { key: string; value?: string | null }): item is ExternalDataItem {
  return typeof item.value === 'string';
}

function dedupe(items: ExternalDataItem[]): ExternalDataItem[] {
  const byKey = new Map(items.map((item) => [item.key, item.value]));
  return [...byKey].map(([key, value]) => ({ key, value }));
}
