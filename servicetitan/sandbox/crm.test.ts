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

const CUSTOMERS = '/crm/v2/tenant/{tenant}/customers';
const LOCATIONS = '/crm/v2/tenant/{tenant}/locations';

interface Page<T> {
  page: number;
  pageSize: number;
  hasMore: boolean;
  totalCount: number | null;
  data: T[];
}
interface Customer {
  id: number;
  name: string;
  active: boolean;
  externalData: { key: string; value: string }[];
  locations?: { id: number; contacts: { id: number; value: string }[] }[];
  contacts?: { id: number; type: string; value: string }[];
}

const address = (street: string) => ({ street, city: 'Austin', state: 'TX', zip: '78701', country: 'USA' });

async function createCustomer(name: string, extra: Record<string, unknown> = {}): Promise<Customer> {
  const res = await st.post<Customer>(CUSTOMERS, {
    name,
    address: address(`${name} street`),
    locations: [{ name, address: address(`${name} street`) }],
    ...extra,
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('paging', () => {
  it('walks every customer page by page with hasMore, page and pageSize', async () => {
    for (let i = 0; i < 7; i += 1) await createCustomer(`Pager ${i}`);
    const seen: number[] = [];
    let page = 1;
    for (;;) {
      const res = await st.get<Page<Customer>>(`${CUSTOMERS}?name=pager&page=${page}&pageSize=3`);
      expect(res.body.page).toBe(page);
      expect(res.body.pageSize).toBe(3);
      expect(res.body.totalCount).toBeNull();
      seen.push(...res.body.data.map((c) => c.id));
      if (!res.body.hasMore) break;
      page += 1;
    }
    expect(page).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('counts the total only when includeTotal=true', async () => {
    const res = await st.get<Page<Customer>>(`${CUSTOMERS}?pageSize=1&includeTotal=true`);
    expect(res.body.totalCount).toBe(4); // four active seeded customers
    expect(res.body.hasMore).toBe(true);
  });

  it('defaults to 50 per page, clamps to 5000 and refuses page 0', async () => {
    expect((await st.get<Page<Customer>>(CUSTOMERS)).body.pageSize).toBe(50);
    expect((await st.get<Page<Customer>>(`${CUSTOMERS}?pageSize=10000`)).body.pageSize).toBe(5000);
    const bad = await st.get<{ errors: Record<string, string[]> }>(`${CUSTOMERS}?page=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('page');
  });
});

describe('customer search', () => {
  it.each(['5125550142', '(512) 555-0142', '512.555.0142', '+1 512-555-0142', '15125550142'])(
    'finds Jane Doe by phone written as %s',
    async (phone) => {
      const res = await st.get<Page<Customer>>(`${CUSTOMERS}?phone=${encodeURIComponent(phone)}`);
      expect(res.body.data.map((c) => c.id)).toEqual([SEED_IDS.customers.janeDoe]);
    },
  );

  it('hides the inactive customer with the same phone unless active=Any', async () => {
    const any = await st.get<Page<Customer>>(`${CUSTOMERS}?phone=5125550142&active=Any`);
    expect(any.body.data.map((c) => c.id)).toEqual([
      SEED_IDS.customers.janeDoe,
      SEED_IDS.customers.inactiveJaneDoeOld,
    ]);
    const inactive = await st.get<Page<Customer>>(`${CUSTOMERS}?phone=5125550142&active=False`);
    expect(inactive.body.data.map((c) => c.id)).toEqual([SEED_IDS.customers.inactiveJaneDoeOld]);
  });

  it('returns both customers sharing a phone number (an ambiguous match)', async () => {
    const res = await st.get<Page<Customer>>(`${CUSTOMERS}?phone=737-555-0199`);
    expect(res.body.data.map((c) => c.name)).toEqual(['Robert Smith', 'Maria Garcia']);
  });

  it('matches phones stored only on a location contact', async () => {
    const res = await st.get<Page<Customer>>(`${CUSTOMERS}?phone=5125550177`);
    expect(res.body.data.map((c) => c.id)).toEqual([SEED_IDS.customers.leeNguyen]);
  });

  it('matches name and address filters case-insensitively as "contains"', async () => {
    const res = await st.get<Page<Customer>>(
      `${CUSTOMERS}?name=jane%20DOE&street=barton%20springs&zip=78704`,
    );
    expect(res.body.data.map((c) => c.id)).toEqual([SEED_IDS.customers.janeDoe]);
    const none = await st.get<Page<Customer>>(`${CUSTOMERS}?name=jane&city=Dallas`);
    expect(none.body.data).toEqual([]);
  });

  it('refuses more than 50 ids', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => i + 1).join(',');
    expect((await st.get(`${CUSTOMERS}?ids=${ids}`)).status).toBe(400);
  });
});

describe('customer create', () => {
  it('creates the customer, its locations and both contact lists in one call', async () => {
    const customer = await createCustomer('New Buyer', {
      contacts: [{ type: 'Email', value: 'buyer@example.com' }],
      locations: [
        {
          name: 'Home',
          address: address('9 Elm'),
          contacts: [{ type: 'MobilePhone', value: '(512) 555-0111' }],
        },
      ],
    });
    expect(customer.locations).toHaveLength(1);
    expect(customer.locations?.[0]?.contacts[0]?.id).toBeGreaterThanOrEqual(5_000_000);
    // ST copies a new location's contacts onto the customer.
    expect(customer.contacts?.map((c) => c.value)).toEqual(['buyer@example.com', '(512) 555-0111']);
    const found = await st.get<Page<Customer>>(`${CUSTOMERS}?phone=5125550111`);
    expect(found.body.data.map((c) => c.id)).toEqual([customer.id]);
    const locations = await st.get<Page<{ id: number }>>(`${LOCATIONS}?customerId=${customer.id}`);
    expect(locations.body.data.map((l) => l.id)).toEqual([customer.locations?.[0]?.id]);
  });

  it('names each invalid field in a 400', async () => {
    const res = await st.post<{ title: string; errors: Record<string, string[]> }>(CUSTOMERS, {
      name: 'Broken',
      address: { street: '1 Main', city: 'Austin', state: 'TX', zip: '78701' },
      locations: [],
      unknownField: 'ignored',
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(['address.country', 'locations']);
  });

  it('refuses an unknown tag type', async () => {
    const res = await st.post(CUSTOMERS, {
      name: 'Tagged',
      address: address('1 Tag St'),
      locations: [{ name: 'Home', address: address('1 Tag St') }],
      tagTypeIds: [999],
    });
    expect(res.status).toBe(400);
  });
});

describe('externalData', () => {
  it('is visible only to the application GUID that wrote it', async () => {
    const customer = await createCustomer('Guid Owner', {
      externalData: {
        applicationGuid: TEST_GUID,
        externalData: [{ key: 'storeCustomerId', value: 'cus_77' }],
      },
    });
    expect(customer.externalData).toEqual([{ key: 'storeCustomerId', value: 'cus_77' }]);

    const mine = await st.get<Page<Customer>>(
      `${CUSTOMERS}?externalDataApplicationGuid=${TEST_GUID}&externalDataKey=storeCustomerId&externalDataValues=cus_1,cus_77`,
    );
    expect(mine.body.data.map((c) => c.id)).toEqual([customer.id]);
    expect(mine.body.data[0]?.externalData).toEqual([{ key: 'storeCustomerId', value: 'cus_77' }]);

    const theirs = await st.get<Page<Customer>>(
      `${CUSTOMERS}?externalDataApplicationGuid=${OTHER_GUID}&externalDataKey=storeCustomerId&externalDataValues=cus_77`,
    );
    expect(theirs.body.data).toEqual([]);

    const withoutGuid = await st.get<Customer>(`${CUSTOMERS}/${customer.id}`);
    expect(withoutGuid.body.externalData).toEqual([]);
  });

  it('needs key and values together, scoped to a GUID', async () => {
    expect((await st.get(`${CUSTOMERS}?externalDataKey=k`)).status).toBe(400);
    expect((await st.get(`${CUSTOMERS}?externalDataKey=k&externalDataValues=v`)).status).toBe(400);
    expect((await st.get(`${CUSTOMERS}?externalDataApplicationGuid=not-a-guid`)).status).toBe(400);
  });

  it('merges, replaces and deletes keys on PATCH', async () => {
    const customer = await createCustomer('Patchy', {
      externalData: {
        applicationGuid: TEST_GUID,
        externalData: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      },
    });
    const patch = (externalData: unknown) =>
      st.patch<Customer>(`${CUSTOMERS}/${customer.id}`, { externalData });
    const merged = await patch({
      patchMode: 'Merge',
      applicationGuid: TEST_GUID,
      externalData: [
        { key: 'b', value: null },
        { key: 'c', value: '3' },
      ],
    });
    expect(merged.body.externalData).toEqual([
      { key: 'a', value: '1' },
      { key: 'c', value: '3' },
    ]);
    const replaced = await patch({ applicationGuid: TEST_GUID, externalData: [{ key: 'z', value: '9' }] });
    expect(replaced.body.externalData).toEqual([{ key: 'z', value: '9' }]);
    await patch({ applicationGuid: OTHER_GUID, externalData: [{ key: 'other', value: 'x' }] });
    const mine = await st.get<Customer>(
      `${CUSTOMERS}/${customer.id}?externalDataApplicationGuid=${TEST_GUID}`,
    );
    expect(mine.body.externalData).toEqual([{ key: 'z', value: '9' }]);
  });
});

describe('locations and tags', () => {
  it('answers 409 "Unknown customer" for a location of a missing customer', async () => {
    const res = await st.post<{ title: string }>(LOCATIONS, {
      customerId: 424242,
      name: 'X',
      address: address('1 X'),
    });
    expect(res.status).toBe(409);
    expect(res.body.title).toBe('Unknown customer');
  });

  it('finds a location by customer and address, and tags it', async () => {
    const res = await st.get<Page<{ id: number }>>(
      `${LOCATIONS}?customerId=${SEED_IDS.customers.janeDoe}&street=barton`,
    );
    expect(res.body.data.map((l) => l.id)).toEqual([SEED_IDS.locations.janeDoe]);
    const tag = await st.post<{ locationId: number; tagTypeIds: number[] }>(
      `${LOCATIONS}/${SEED_IDS.locations.janeDoe}/tags/${SEED_IDS.tagTypes.subscriptionProduct}`,
    );
    expect(tag.body).toEqual({
      locationId: SEED_IDS.locations.janeDoe,
      tagTypeIds: [SEED_IDS.tagTypes.subscriptionProduct],
    });
  });

  it('adds a customer tag once however often it is posted, and removes it', async () => {
    const path = `${CUSTOMERS}/${SEED_IDS.customers.janeDoe}/tags/${SEED_IDS.tagTypes.oneTimeProduct}`;
    await st.post(path);
    const again = await st.post<{ tagTypeIds: number[] }>(path);
    expect(again.body.tagTypeIds).toEqual([SEED_IDS.tagTypes.oneTimeProduct]);
    expect((await st.delete(path)).status).toBe(200);
    const after = await st.get<{ tagTypeIds: number[] }>(`${CUSTOMERS}/${SEED_IDS.customers.janeDoe}`);
    expect(after.body.tagTypeIds).toEqual([]);
  });

  it('refuses an inactive tag type and 404s an unknown one', async () => {
    const base = `${CUSTOMERS}/${SEED_IDS.customers.janeDoe}/tags`;
    expect((await st.post(`${base}/${SEED_IDS.tagTypes.inactiveLegacy}`)).status).toBe(400);
    expect((await st.post(`${base}/999`)).status).toBe(404);
  });

  it('re-parents a location and refuses an unknown customer with 409', async () => {
    const moved = await st.patch<{ customerId: number }>(`${LOCATIONS}/${SEED_IDS.locations.leeNguyen}`, {
      customerId: SEED_IDS.customers.janeDoe,
    });
    expect(moved.body.customerId).toBe(SEED_IDS.customers.janeDoe);
    const bad = await st.patch(`${LOCATIONS}/${SEED_IDS.locations.leeNguyen}`, { customerId: 424242 });
    expect(bad.status).toBe(409);
  });
});
