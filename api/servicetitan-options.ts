import { z } from 'zod';
import type { TenantRecord } from '../db/tenants.js';
import { createServiceTitanClient, type ServiceTitanClient } from '../servicetitan/client.js';

/** Builds the ServiceTitan client of a tenant; injectable so tests and the launcher can adapt it. */
export type ServiceTitanClientFor = (tenant: TenantRecord) => ServiceTitanClient;

export const defaultServiceTitanClientFor: ServiceTitanClientFor = (tenant) =>
  createServiceTitanClient({ ...tenant.serviceTitan });

const option = { id: z.int(), name: z.string(), active: z.boolean() };

export const serviceTitanOptionsSchema = z
  .object({
    businessUnits: z.array(z.object(option)),
    jobTypes: z.array(z.object({ ...option, businessUnitIds: z.array(z.int()) })),
    campaigns: z.array(z.object(option)),
    tagTypes: z.array(z.object(option)),
    technicians: z.array(z.object({ ...option, businessUnitId: z.int().nullable() })),
    paymentTypes: z.array(
      z.object({
        ...option,
        /** Whether ServiceTitan flags it Cash; null when the API does not say (ServiceTitan's does not). */
        cash: z.boolean().nullable(),
      }),
    ),
    glAccounts: z.array(
      z.object({
        ...option,
        number: z.string().nullable(),
        type: z.string().nullable(),
        isIntacctGroup: z.boolean(),
      }),
    ),
    arrivalWindows: z.array(
      z.object({ ...option, start: z.string(), duration: z.string(), businessUnitIds: z.array(z.int()) }),
    ),
    fetchedAt: z.string(),
  })
  .meta({ id: 'ServiceTitanOptions' });
export type ServiceTitanOptions = z.infer<typeof serviceTitanOptionsSchema>;

export const skuOptionSchema = z.object({
  ...option,
  code: z.string(),
  type: z.enum(['material', 'equipment', 'service']),
});
export type SkuOption = z.infer<typeof skuOptionSchema>;

const ANY = { active: 'Any' } as const;

/** Every drop-down list, live (one call per list, two for payment types), inactive entries included. */
export async function fetchServiceTitanOptions(
  st: ServiceTitanClient,
  signal?: AbortSignal,
): Promise<ServiceTitanOptions> {
  const call = { signal };
  const [
    businessUnits,
    jobTypes,
    campaigns,
    tagTypes,
    technicians,
    paymentTypes,
    activePaymentTypes,
    glAccounts,
    arrivalWindows,
  ] = await Promise.all([
    st.settings.businessUnits.listAll(ANY, call),
    st.jpm.jobTypes.listAll(ANY, call),
    st.marketing.campaigns.listAll(ANY, call),
    st.settings.tagTypes.listAll(ANY, call),
    st.settings.technicians.listAll(ANY, call),
    st.accounting.paymentTypes.listAll(ANY, call),
    // Payment types carry no `active` field: the active ones are those the default filter returns.
    st.accounting.paymentTypes.listAll({ active: 'True' }, call),
    st.accounting.glAccounts.listAll(ANY, call),
    st.dispatch.arrivalWindows.listAll(ANY, call),
  ]);
  const activePaymentTypeIds = new Set(activePaymentTypes.map((p) => p.id));
  const byName = <T extends { name: string }>(items: T[]) =>
    items.sort((a, b) => a.name.localeCompare(b.name));
  return {
    businessUnits: byName(businessUnits.map((b) => ({ id: b.id, name: b.name, active: b.active }))),
    jobTypes: byName(
      jobTypes.map((j) => ({
        id: j.id,
        name: j.name,
        active: j.active,
        businessUnitIds: j.businessUnitIds ?? [],
      })),
    ),
    campaigns: byName(campaigns.map((c) => ({ id: c.id, name: c.name, active: c.active }))),
    tagTypes: byName(tagTypes.map((t) => ({ id: t.id, name: t.name, active: t.active }))),
    technicians: byName(
      technicians.map((t) => ({
        id: t.id,
        name: t.name,
        active: t.active,
        businessUnitId: t.businessUnitId ?? null,
      })),
    ),
    paymentTypes: byName(
      paymentTypes.map((p) => {
        // Real ServiceTitan has no Cash flag in its API; the sandbox adds `cashAttribute`.
        const cash = (p as { cashAttribute?: unknown }).cashAttribute;
        return {
          id: p.id,
          name: p.name,
          active: activePaymentTypeIds.has(p.id),
          cash: typeof cash === 'boolean' ? cash : null,
        };
      }),
    ),
    glAccounts: byName(
      glAccounts.map((g) => ({
        id: g.id,
        name: g.name ?? g.number ?? `GL account ${g.id}`,
        active: g.active,
        number: g.number ?? null,
        type: g.type ?? null,
        isIntacctGroup: g.isIntacctGroup ?? false,
      })),
    ),
    arrivalWindows: arrivalWindows
      .map((w) => ({
        id: w.id,
        name: `${w.start} (${w.duration})`,
        active: w.active,
        start: w.start,
        duration: w.duration,
        businessUnitIds: w.businessUnitIds ?? [],
      }))
      .sort((a, b) => a.start.localeCompare(b.start)),
    fetchedAt: new Date().toISOString(),
  };
}

type SkuItem = { id: number; code: string; displayName?: string | null | undefined; active: boolean };

const skuOption =
  (type: SkuOption['type']) =>
  (item: SkuItem): SkuOption => ({
    id: item.id,
    code: item.code,
    name: item.displayName ?? item.code,
    active: item.active,
    type,
  });

/** One page of each pricebook kind for the query, as options. */
async function skusMatching(
  st: ServiceTitanClient,
  query: { searchText?: string; ids?: number[]; pageSize?: number },
  signal?: AbortSignal,
): Promise<SkuOption[]> {
  const filter = { ...query, active: 'Any' as const };
  const [materials, equipment, services] = await Promise.all([
    st.pricebook.materials.list(filter, { signal }),
    st.pricebook.equipment.list(filter, { signal }),
    st.pricebook.services.list(filter, { signal }),
  ]);
  return [
    ...materials.data.map(skuOption('material')),
    ...equipment.data.map(skuOption('equipment')),
    ...services.data.map(skuOption('service')),
  ];
}

/** Pricebook items whose code, name or description contains `text` (materials, equipment, services). */
export function searchSkus(st: ServiceTitanClient, text: string, signal?: AbortSignal): Promise<SkuOption[]> {
  return skusMatching(st, { searchText: text, pageSize: 25 }, signal);
}

/** The pricebook item with this id among materials, equipment and services, or undefined. */
export async function findSkuById(
  st: ServiceTitanClient,
  id: number,
  signal?: AbortSignal,
): Promise<SkuOption | undefined> {
  return (await skusMatching(st, { ids: [id] }, signal)).find((sku) => sku.id === id);
}

/**
 * A short per-tenant cache of the options: the settings page asks for them on every visit, and
 * ServiceTitan's budget is 60 calls a second shared with the syncs. Concurrent requests share one
 * fetch; a failed fetch is not cached.
 */
export function createOptionsCache(ttlMs: number) {
  const entries = new Map<string, { at: number; value: Promise<ServiceTitanOptions> }>();
  return {
    async get(
      tenantId: string,
      load: () => Promise<ServiceTitanOptions>,
      refresh = false,
    ): Promise<ServiceTitanOptions> {
      const entry = entries.get(tenantId);
      if (!refresh && entry && Date.now() - entry.at < ttlMs) return entry.value;
      const value = load();
      entries.set(tenantId, { at: Date.now(), value });
      try {
        return await value;
      } catch (error) {
        if (entries.get(tenantId)?.value === value) entries.delete(tenantId);
        throw error;
      }
    },
    invalidate(tenantId: string) {
      entries.delete(tenantId);
    },
  };
}
export type OptionsCache = ReturnType<typeof createOptionsCache>;
