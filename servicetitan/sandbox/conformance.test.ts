import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_IDS } from './seed.js';
import type { RunningSandbox } from './server.js';
import { type HttpMethod, type SchemaCheckResult, SpecValidator, type StModule } from './spec-validator.js';
import { appointment, type SandboxTestClient, startTestSandbox, TEST_GUID } from './test-helpers.js';

// Every operation the sandbox implements is called here, and its status and body are validated
// against ServiceTitan's own OpenAPI document for that operation; so are the request bodies sent.

const loaded = SpecValidator.tryLoad();
if (!loaded.validator) console.warn(`Skipping ServiceTitan conformance tests: ${loaded.reason}`);

function expectValid(result: SchemaCheckResult, context: string): void {
  expect(result.errors, context).toEqual([]);
}

describe.skipIf(!loaded.validator)('the sandbox conforms to the ServiceTitan OpenAPI specs', () => {
  const spec = loaded.validator as SpecValidator;
  let sandbox: RunningSandbox;
  let st: SandboxTestClient;
  const covered = new Set<string>();

  beforeAll(async () => {
    ({ sandbox, st } = await startTestSandbox({ rateLimitPerSecond: 100_000 }));
  });
  afterAll(async () => {
    await sandbox.close();
  });

  interface Call {
    /** Concrete path after `/tenant/{tenant}` when it differs from the spec path (ids, query). */
    path?: string;
    body?: unknown;
    status?: number;
    /** Sandbox-only fields (documented differences) removed before validation. */
    extensions?: string[];
    /** The request breaks the spec on purpose (to provoke an error); only the answer is validated. */
    invalidRequest?: boolean;
  }

  /** Calls one operation and validates request body, status and response body against the spec. */
  async function conform<T = Record<string, unknown>>(
    module: StModule,
    method: HttpMethod,
    specPath: string,
    call: Call = {},
  ): Promise<T> {
    const label = `${method} /${module}/v2/tenant/{tenant}${specPath}`;
    if (call.body !== undefined && !call.invalidRequest) {
      const requestCheck = spec.request(module, method, specPath);
      expect(requestCheck, `${label} takes no body`).toBeDefined();
      expectValid(requestCheck?.(call.body) ?? { valid: false, errors: [] }, `request body of ${label}`);
    }
    const res = await st.call<T>(method, `/${module}/v2/tenant/{tenant}${call.path ?? specPath}`, {
      body: call.body,
    });
    expect(res.status, `${label}: ${res.text}`).toBe(call.status ?? 200);
    if (res.status < 300 || res.headers.get('content-type')?.includes('json')) {
      expect(res.headers.get('content-type') ?? 'application/json', label).toContain('application/json');
    }
    let body: unknown = res.body;
    for (const field of call.extensions ?? []) body = withoutField(body, field);
    expectValid(
      spec.response(module, method, specPath, res.status)(body),
      `response ${res.status} of ${label}: ${res.text}`,
    );
    covered.add(`${method} /${module}/v2/tenant/{tenant}${specPath}`);
    return res.body;
  }

  function withoutField(body: unknown, field: string): unknown {
    const strip = (item: unknown) => {
      expect(item, `sandbox extension ${field}`).toHaveProperty(field);
      const { [field]: _removed, ...rest } = item as Record<string, unknown>;
      return rest;
    };
    const page = body as { data?: unknown[] };
    if (Array.isArray(page.data)) return { ...page, data: page.data.map(strip) };
    return strip(body);
  }

  const address = {
    street: '1 Conformance Way',
    unit: 'Suite 2',
    city: 'Austin',
    state: 'TX',
    zip: '78701',
    country: 'USA',
  };
  let customerId = 0;
  let locationId = 0;
  let jobId = 0;
  let invoiceId = 0;
  let appointmentId = 0;

  it('CRM customers', async () => {
    await conform('crm', 'GET', '/customers', {
      path: '/customers?phone=512-555-0142&page=1&pageSize=10&includeTotal=true',
    });
    const created = await conform<{ id: number; locations: { id: number }[] }>('crm', 'POST', '/customers', {
      body: {
        name: 'Conformance Customer',
        type: 'Residential',
        address,
        contacts: [{ type: 'Email', value: 'conformance@example.com' }],
        locations: [
          {
            name: 'Home',
            address,
            contacts: [{ type: 'MobilePhone', value: '(512) 555-0100', memo: 'cell' }],
          },
        ],
        externalData: { applicationGuid: TEST_GUID, externalData: [{ key: 'orderId', value: 'ord_1' }] },
      },
    });
    customerId = created.id;
    locationId = created.locations[0]?.id ?? 0;
    await conform('crm', 'GET', '/customers/{id}', { path: `/customers/${customerId}` });
    await conform('crm', 'PATCH', '/customers/{id}', {
      path: `/customers/${customerId}`,
      body: {
        name: 'Conformance Customer Renamed',
        address: { ...address, latitude: 30.26, longitude: -97.74 },
        externalData: {
          patchMode: 'Merge',
          applicationGuid: TEST_GUID,
          externalData: [{ key: 'note', value: 'x' }],
        },
      },
    });
    await conform('crm', 'GET', '/customers/{id}/contacts', { path: `/customers/${customerId}/contacts` });
    const tagPath = `/customers/${customerId}/tags/${SEED_IDS.tagTypes.oneTimeProduct}`;
    await conform('crm', 'POST', '/customers/{id}/tags/{tagTypeId}', { path: tagPath });
    await conform('crm', 'DELETE', '/customers/{id}/tags/{tagTypeId}', { path: tagPath });
    await conform('crm', 'GET', '/customers/{id}', { path: '/customers/999', status: 404 });
    await conform('crm', 'POST', '/customers', {
      body: { name: 'No address', locations: [] },
      status: 400,
      invalidRequest: true,
    });
  });

  it('CRM locations', async () => {
    await conform('crm', 'GET', '/locations', {
      path: `/locations?customerId=${customerId}&externalDataApplicationGuid=${TEST_GUID}`,
    });
    const created = await conform<{ id: number }>('crm', 'POST', '/locations', {
      body: { customerId, name: 'Cabin', address, contacts: [{ type: 'Phone', value: '512 555 0101' }] },
    });
    await conform('crm', 'GET', '/locations/{id}', { path: `/locations/${created.id}` });
    await conform('crm', 'PATCH', '/locations/{id}', {
      path: `/locations/${created.id}`,
      body: {
        name: 'Lake cabin',
        externalData: { applicationGuid: TEST_GUID, externalData: [{ key: 'k', value: 'v' }] },
      },
    });
    const tagPath = `/locations/${created.id}/tags/${SEED_IDS.tagTypes.oneTimeService}`;
    await conform('crm', 'POST', '/locations/{id}/tags/{tagTypeId}', { path: tagPath });
    await conform('crm', 'DELETE', '/locations/{id}/tags/{tagTypeId}', { path: tagPath });
    await conform('crm', 'POST', '/locations', {
      body: { customerId: 999, name: 'Orphan', address },
      status: 409,
    });
  });

  it('settings and marketing', async () => {
    await conform('settings', 'GET', '/business-units', { path: '/business-units?active=Any' });
    await conform('settings', 'GET', '/business-units/{id}', {
      path: `/business-units/${SEED_IDS.businessUnits.hvac}`,
    });
    await conform('settings', 'GET', '/tag-types');
    await conform('settings', 'GET', '/technicians', { path: '/technicians?active=Any' });
    await conform('settings', 'GET', '/technicians/{id}', {
      path: `/technicians/${SEED_IDS.technicians.alex}`,
    });
    await conform('marketing', 'GET', '/campaigns', { path: '/campaigns?name=commerce' });
    await conform('marketing', 'GET', '/campaigns/{id}', {
      path: `/campaigns/${SEED_IDS.campaigns.contractorCommerce}`,
    });
    await conform('marketing', 'GET', '/campaigns/{id}', { path: '/campaigns/999', status: 404 });
  });

  it('JPM jobs, job types, cancel reasons and appointments', async () => {
    await conform('jpm', 'GET', '/job-types');
    await conform('jpm', 'GET', '/job-types/{id}', {
      path: `/job-types/${SEED_IDS.jobTypes.filterDelivery}`,
    });
    await conform('jpm', 'GET', '/job-cancel-reasons');
    const jobBody = {
      customerId,
      locationId,
      businessUnitId: SEED_IDS.businessUnits.hvac,
      jobTypeId: SEED_IDS.jobTypes.filterDelivery,
      priority: 'Normal',
      campaignId: SEED_IDS.campaigns.contractorCommerce,
      appointments: [{ ...appointment(3), technicianIds: [SEED_IDS.technicians.alex] }],
      summary: 'Conformance job',
      externalData: { applicationGuid: TEST_GUID, externalData: [{ key: 'orderId', value: 'ord_1' }] },
    };
    const job = await conform<{ id: number; invoiceId: number; firstAppointmentId: number }>(
      'jpm',
      'POST',
      '/jobs',
      {
        body: jobBody,
      },
    );
    jobId = job.id;
    invoiceId = job.invoiceId;
    appointmentId = job.firstAppointmentId;
    await conform('jpm', 'GET', '/jobs/{id}', {
      path: `/jobs/${jobId}?externalDataApplicationGuid=${TEST_GUID}`,
    });
    await conform('jpm', 'GET', '/jobs', {
      path: `/jobs?externalDataApplicationGuid=${TEST_GUID}&externalDataKey=orderId&externalDataValues=ord_1`,
    });
    await conform('jpm', 'PATCH', '/jobs/{id}', {
      path: `/jobs/${jobId}`,
      body: { summary: 'Updated summary' },
    });
    await conform('jpm', 'GET', '/appointments', { path: `/appointments?jobId=${jobId}` });
    await conform('jpm', 'GET', '/appointments/{id}', { path: `/appointments/${appointmentId}` });
    const { campaignId: _omitted, ...withoutCampaign } = jobBody;
    await conform('jpm', 'POST', '/jobs', { body: withoutCampaign, status: 422, invalidRequest: true });
    await conform('jpm', 'GET', '/jobs/{id}', { path: '/jobs/999', status: 404 });
  });

  it('dispatch', async () => {
    await conform('dispatch', 'GET', '/arrival-windows');
    await conform('dispatch', 'GET', '/arrival-windows/{id}', {
      path: `/arrival-windows/${SEED_IDS.arrivalWindows.morning}`,
    });
    const created = await conform<{ id: number }>('dispatch', 'POST', '/arrival-windows', {
      body: { start: '16:00:00', duration: '02:00:00', businessUnitIds: [SEED_IDS.businessUnits.hvac] },
    });
    await conform('dispatch', 'PUT', '/arrival-windows/{id}', {
      path: `/arrival-windows/${created.id}`,
      body: { start: '17:00:00', duration: '02:00:00', businessUnitIds: [SEED_IDS.businessUnits.plumbing] },
    });
    await conform('dispatch', 'PUT', '/arrival-windows/{id}/activated', {
      path: `/arrival-windows/${created.id}/activated`,
      body: { isActive: false },
    });
    await conform('dispatch', 'POST', '/appointment-assignments/assign-technicians', {
      body: { jobAppointmentId: appointmentId, technicianIds: [SEED_IDS.technicians.sam] },
    });
    await conform('dispatch', 'GET', '/appointment-assignments', {
      path: `/appointment-assignments?jobId=${jobId}`,
    });
  });

  it('pricebook materials, equipment and services', async () => {
    const accounts = {
      account: 'Revenue',
      costOfSaleAccount: 'Cost of Goods Sold: Material',
      assetAccount: 'Inventory',
    };
    const kinds = [
      { path: '/materials', body: { code: 'CONF-MAT', description: 'Material', price: 10, ...accounts } },
      {
        path: '/equipment',
        body: {
          code: 'CONF-EQ',
          description: 'Equipment',
          price: 20,
          manufacturerWarranty: { duration: 12 },
          ...accounts,
        },
      },
      {
        path: '/services',
        body: { code: 'CONF-SVC', description: 'Service', price: 30, account: 'Revenue' },
      },
    ];
    for (const kind of kinds) {
      await conform('pricebook', 'GET', kind.path, { path: `${kind.path}?searchText=conf` });
      const created = await conform<{ id: number }>('pricebook', 'POST', kind.path, {
        body: {
          ...kind.body,
          externalData: { applicationGuid: TEST_GUID, externalData: [{ key: 'sku', value: kind.body.code }] },
        },
        status: 201,
      });
      await conform('pricebook', 'GET', `${kind.path}/{id}`, { path: `${kind.path}/${created.id}` });
      await conform('pricebook', 'PATCH', `${kind.path}/{id}`, {
        path: `${kind.path}/${created.id}`,
        body: { price: 25 },
      });
      await conform('pricebook', 'POST', kind.path, { body: kind.body, status: 409 });
      await conform('pricebook', 'DELETE', `${kind.path}/{id}`, {
        path: `${kind.path}/${created.id}`,
        status: 204,
      });
      await conform('pricebook', 'GET', `${kind.path}/{id}`, {
        path: `${kind.path}/${created.id}`,
        status: 404,
      });
    }
  });

  it('accounting invoices, payments, payment types and GL accounts', async () => {
    await conform('accounting', 'PATCH', '/invoices/{invoiceId}/items', {
      path: `/invoices/${invoiceId}/items`,
      body: {
        skuId: SEED_IDS.pricebook.onlineStoreEquipment,
        description: 'Filter',
        quantity: 2,
        unitPrice: 24.99,
      },
    });
    await conform('accounting', 'PATCH', '/invoices/{id}', {
      path: `/invoices/${invoiceId}`,
      body: { tax: 4.12, summary: 'Order 1001' },
    });
    const invoices = await conform<{ data: { items: { id: number }[] }[] }>(
      'accounting',
      'GET',
      '/invoices',
      {
        path: `/invoices?ids=${invoiceId}`,
      },
    );
    await conform('accounting', 'POST', '/payments', {
      body: {
        typeId: SEED_IDS.paymentTypes.contractorCommerce,
        amount: 54.1,
        memo: 'pay_9',
        splits: [{ invoiceId, amount: 54.1 }],
      },
    });
    await conform('accounting', 'GET', '/payments', { path: `/payments?appliedToInvoiceIds=${invoiceId}` });
    await conform('accounting', 'PATCH', '/invoices/{invoiceId}/items', {
      path: `/invoices/${invoiceId}/items`,
      body: { description: 'No SKU', quantity: 1 },
      status: 500,
    });
    const itemId = invoices.data[0]?.items[0]?.id ?? 0;
    await conform('accounting', 'DELETE', '/invoices/{invoiceId}/items/{itemId}', {
      path: `/invoices/${invoiceId}/items/${itemId}`,
    });
    await conform('accounting', 'GET', '/payment-types', { extensions: ['cashAttribute'] });
    await conform('accounting', 'GET', '/payment-types/{id}', {
      path: `/payment-types/${SEED_IDS.paymentTypes.contractorCommerce}`,
      extensions: ['cashAttribute'],
    });
    await conform('accounting', 'GET', '/gl-accounts', { path: '/gl-accounts?names=Revenue,Inventory' });
    await conform('accounting', 'GET', '/gl-accounts/{accountId}', {
      path: `/gl-accounts/${SEED_IDS.glAccounts.revenue}`,
    });
  });

  it('JPM cancellation (after the invoice work, which needs a live job)', async () => {
    await conform('jpm', 'PUT', '/jobs/{id}/cancel', {
      path: `/jobs/${jobId}/cancel`,
      body: { reasonId: SEED_IDS.jobCancelReasons.canceledByIntegration, memo: 'Order refunded' },
    });
    await conform('jpm', 'PUT', '/jobs/{id}/remove-cancellation', {
      path: `/jobs/${jobId}/remove-cancellation`,
    });
  });

  it('auth and rate-limit errors use the ApiErrorResponse shape', async () => {
    const errorShape = spec.schema('crm', 'ApiErrorResponse');
    const noKey = await st.get('/crm/v2/tenant/{tenant}/customers', { headers: { 'st-app-key': undefined } });
    expect(noKey.status).toBe(401);
    expectValid(errorShape(noKey.body), noKey.text);
    const wrongTenant = await st.call('GET', '/crm/v2/tenant/42/customers');
    expect(wrongTenant.status).toBe(403);
    expectValid(errorShape(wrongTenant.body), wrongTenant.text);
  });

  it('covers every operation the sandbox implements, and each exists in the spec', async () => {
    const res = await st.control<{ operations: string[] }>('GET', '/routes');
    const operations = res.body.operations;
    expect(operations.length).toBeGreaterThan(50);
    for (const operation of operations) {
      const [method, path] = operation.split(' ') as [HttpMethod, string];
      const module = path.split('/')[1] as StModule;
      expect(spec.has(module, method, path), `${operation} is not in the ${module} spec`).toBe(true);
    }
    expect(operations.filter((op) => !covered.has(op))).toEqual([]);
  });
});
