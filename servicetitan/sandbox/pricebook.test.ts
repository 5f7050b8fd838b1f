import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS } from './seed.js';
import type { RunningSandbox } from './server.js';
import { OTHER_GUID, type SandboxTestClient, startTestSandbox, TEST_GUID } from './test-helpers.js';

let sandbox: RunningSandbox;
let st: SandboxTestClient;

beforeAll(async () => {
  ({ sandbox, st } = await startTestSandbox({ rateLimitPerSecond: 100_000 }));
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await st.control('POST', '/reset');
});

const PB = '/pricebook/v2/tenant/{tenant}';

interface Item {
  id: number;
  code: string;
  price: number;
  account: string | null;
  generalLedgerAccountId?: number | null;
  externalData?: { key: string; value: string }[];
}

describe('pricebook', () => {
  it('creates with 201, keeps account names as given and links the GL account', async () => {
    const res = await st.post<Item>(`${PB}/materials`, {
      code: 'FLT-20x20',
      description: 'Filter 20x20',
      price: 12.5,
      account: 'revenue',
      costOfSaleAccount: 'Cost of Goods Sold: Material',
      assetAccount: 'Inventory',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 'FLT-20x20',
      price: 12.5,
      account: 'revenue',
      generalLedgerAccountId: SEED_IDS.glAccounts.revenue,
    });
  });

  it('refuses a duplicate code within one item type with 409, but not across types', async () => {
    expect((await st.post(`${PB}/equipment`, { code: 'cc-online-store', description: 'dup' })).status).toBe(
      409,
    );
    expect(
      (await st.post(`${PB}/services`, { code: 'CC-ONLINE-STORE', description: 'same code, other type' }))
        .status,
    ).toBe(201);
  });

  it('refuses an unknown or inactive GL account name', async () => {
    expect((await st.post(`${PB}/materials`, { code: 'X1', description: 'x', account: 'Nope' })).status).toBe(
      400,
    );
    expect(
      (await st.post(`${PB}/materials`, { code: 'X2', description: 'x', account: 'Old Revenue' })).status,
    ).toBe(400);
  });

  it('searches code, display name and description case-insensitively', async () => {
    const byCode = await st.get<{ data: Item[] }>(`${PB}/equipment?searchText=online-STORE`);
    expect(byCode.body.data.map((i) => i.id)).toEqual([SEED_IDS.pricebook.onlineStoreEquipment]);
    const byName = await st.get<{ data: Item[] }>(`${PB}/services?searchText=diagnostic`);
    expect(byName.body.data.map((i) => i.id)).toEqual([SEED_IDS.pricebook.diagnosticService]);
    expect((await st.get(`${PB}/services?searchText=d`)).status).toBe(400);
  });

  it('finds items by externalData of its own application only', async () => {
    const created = await st.post<Item>(`${PB}/equipment`, {
      code: 'SKU-EXT',
      description: 'ext',
      externalData: { applicationGuid: TEST_GUID, externalData: [{ key: 'sku', value: 'SKU-EXT' }] },
    });
    const mine = await st.get<{ data: Item[] }>(
      `${PB}/equipment?externalDataApplicationGuid=${TEST_GUID}&externalDataKey=sku&externalDataValues=SKU-EXT`,
    );
    expect(mine.body.data.map((i) => i.id)).toEqual([created.body.id]);
    const theirs = await st.get<{ data: Item[] }>(
      `${PB}/equipment?externalDataApplicationGuid=${OTHER_GUID}&externalDataKey=sku&externalDataValues=SKU-EXT`,
    );
    expect(theirs.body.data).toEqual([]);
  });

  it('patches fields and deletes with 204', async () => {
    const created = await st.post<Item>(`${PB}/services`, {
      code: 'SVC-TUNE',
      description: 'Tune-up',
      price: 99,
    });
    const patched = await st.patch<Item>(`${PB}/services/${created.body.id}`, {
      price: 109,
      code: 'SVC-TUNEUP',
    });
    expect(patched.body).toMatchObject({ price: 109, code: 'SVC-TUNEUP' });
    expect((await st.patch(`${PB}/services/${created.body.id}`, { code: 'SVC-DIAG' })).status).toBe(409);
    const deleted = await st.delete(`${PB}/services/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await st.get(`${PB}/services/${created.body.id}`)).status).toBe(404);
  });

  it('answers 404 when an id names an item of another type', async () => {
    expect((await st.get(`${PB}/materials/${SEED_IDS.pricebook.onlineStoreEquipment}`)).status).toBe(404);
  });

  it('lists inactive items only when asked', async () => {
    await st.patch(`${PB}/materials/${SEED_IDS.pricebook.genericFilterMaterial}`, { active: false });
    expect((await st.get<{ data: Item[] }>(`${PB}/materials`)).body.data).toEqual([]);
    expect((await st.get<{ data: Item[] }>(`${PB}/materials?active=Any`)).body.data).toHaveLength(1);
  });
});
