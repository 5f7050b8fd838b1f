import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS } from './seed.js';
import type { RunningSandbox } from './server.js';
import { appointment, type SandboxTestClient, startTestSandbox, TEST_GUID } from './test-helpers.js';

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

const JOBS = '/jpm/v2/tenant/{tenant}/jobs';
const INVOICES = '/accounting/v2/tenant/{tenant}/invoices';
const PAYMENTS = '/accounting/v2/tenant/{tenant}/payments';

interface Job {
  id: number;
  jobNumber: string;
  jobStatus: string;
  invoiceId: number;
  firstAppointmentId: number;
  appointmentCount: number;
  externalData: { key: string; value: string }[];
}
interface Invoice {
  id: number;
  syncStatus: string;
  subTotal: string;
  salesTax: string;
  total: string;
  balance: string;
  paidOn: string | null;
  referenceNumber: string;
  job: { id: number; number: string };
  items: { id: number; type: string; skuId: number; quantity: string; price: string; total: string }[];
}
interface ErrorBody {
  title: string;
  status: number;
  errors: Record<string, string[]>;
}

function jobBody(overrides: Record<string, unknown> = {}) {
  return {
    customerId: SEED_IDS.customers.janeDoe,
    locationId: SEED_IDS.locations.janeDoe,
    businessUnitId: SEED_IDS.businessUnits.hvac,
    jobTypeId: SEED_IDS.jobTypes.filterDelivery,
    priority: 'Normal',
    campaignId: SEED_IDS.campaigns.contractorCommerce,
    appointments: [{ ...appointment(), technicianIds: [SEED_IDS.technicians.alex] }],
    ...overrides,
  };
}

async function createJob(overrides: Record<string, unknown> = {}): Promise<Job> {
  const res = await st.post<Job>(JOBS, jobBody(overrides));
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function invoice(id: number): Promise<Invoice> {
  const res = await st.get<{ data: Invoice[] }>(`${INVOICES}?ids=${id}`);
  const found = res.body.data[0];
  if (!found) throw new Error(`invoice ${id} not found`);
  return found;
}

async function addItem(invoiceId: number, item: Record<string, unknown>) {
  return st.patch<ErrorBody | undefined>(`${INVOICES}/${invoiceId}/items`, item);
}

describe('booking a job', () => {
  it('creates its appointment, technician assignment and a Pending invoice', async () => {
    const job = await createJob();
    expect(job.jobStatus).toBe('Scheduled');
    expect(job.jobNumber).toBe(String(job.id));
    expect(job.appointmentCount).toBe(1);
    const inv = await invoice(job.invoiceId);
    expect(inv).toMatchObject({ syncStatus: 'Pending', total: '0.00', balance: '0.00', items: [] });
    expect(inv.job).toMatchObject({ id: job.id, number: job.jobNumber });
    expect(inv.referenceNumber).toBe(job.jobNumber);
    const assignments = await st.get<{ data: { technicianId: number; appointmentId: number }[] }>(
      `/dispatch/v2/tenant/{tenant}/appointment-assignments?jobId=${job.id}`,
    );
    expect(assignments.body.data).toEqual([
      expect.objectContaining({
        technicianId: SEED_IDS.technicians.alex,
        appointmentId: job.firstAppointmentId,
      }),
    ]);
  });

  it('stores externalData per application and finds the job by it', async () => {
    const job = await createJob({
      externalData: { applicationGuid: TEST_GUID, externalData: [{ key: 'orderId', value: 'ord_1001' }] },
    });
    expect(job.externalData).toEqual([{ key: 'orderId', value: 'ord_1001' }]);
    const found = await st.get<{ data: Job[] }>(
      `${JOBS}?externalDataApplicationGuid=${TEST_GUID}&externalDataKey=orderId&externalDataValues=ord_1001`,
    );
    expect(found.body.data.map((j) => j.id)).toEqual([job.id]);
  });

  it('answers 422 for a job without a campaign', async () => {
    const { campaignId: _omitted, ...body } = jobBody();
    const res = await st.post<ErrorBody>(JOBS, body);
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveProperty('campaignId');
  });

  it.each([
    [
      'an inactive business unit',
      { businessUnitId: SEED_IDS.businessUnits.inactiveElectrical },
      'businessUnitId',
    ],
    ['an unknown business unit', { businessUnitId: 999 }, 'businessUnitId'],
    ['an inactive job type', { jobTypeId: SEED_IDS.jobTypes.inactiveInstall }, 'jobTypeId'],
    [
      'a job type not offered by the business unit',
      { businessUnitId: SEED_IDS.businessUnits.plumbing },
      'jobTypeId',
    ],
    ['an inactive campaign', { campaignId: SEED_IDS.campaigns.inactiveYellowPages }, 'campaignId'],
    ["another customer's location", { locationId: SEED_IDS.locations.robertSmith }, 'locationId'],
    [
      'an inactive technician',
      { appointments: [{ ...appointment(), technicianIds: [SEED_IDS.technicians.inactivePat] }] },
      'appointments[0].technicianIds',
    ],
    ['an unknown priority', { priority: 'Whenever' }, 'priority'],
  ])('refuses %s with a 400 naming the field', async (_case, overrides, field) => {
    const res = await st.post<ErrorBody>(JOBS, jobBody(overrides));
    expect(res.status, res.text).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual([field]);
  });

  it('answers 404 for an unknown customer', async () => {
    expect((await st.post(JOBS, jobBody({ customerId: 424242 }))).status).toBe(404);
  });

  it('refuses a business unit an admin deactivated after the settings were saved', async () => {
    await st.control('PATCH', `/entities/business-units/${SEED_IDS.businessUnits.hvac}`, { active: false });
    const res = await st.post<ErrorBody>(JOBS, jobBody());
    expect(res.status).toBe(400);
    expect(res.body.errors.businessUnitId?.[0]).toContain('inactive');
  });
});

describe('arrival windows', () => {
  const withWindow = () => {
    const a = appointment();
    return {
      appointments: [
        {
          ...a,
          arrivalWindowStart: a.start,
          arrivalWindowEnd: new Date(Date.parse(a.start) + 4 * 3_600_000).toISOString(),
        },
      ],
    };
  };

  it('accepts an arrival window when the tenant has one configured', async () => {
    const job = await createJob(withWindow());
    const appt = await st.get<{ arrivalWindowStart: string | null }>(
      `/jpm/v2/tenant/{tenant}/appointments/${job.firstAppointmentId}`,
    );
    expect(appt.body.arrivalWindowStart).not.toBeNull();
  });

  it('refuses an arrival window once none is active, saying they are not configured', async () => {
    for (const id of [SEED_IDS.arrivalWindows.morning, SEED_IDS.arrivalWindows.afternoon]) {
      const res = await st.put(`/dispatch/v2/tenant/{tenant}/arrival-windows/${id}/activated`, {
        isActive: false,
      });
      expect(res.status).toBe(200);
    }
    const res = await st.post<ErrorBody>(JOBS, jobBody(withWindow()));
    expect(res.status).toBe(400);
    expect(res.body.errors['appointments[0].arrivalWindowStart']?.[0]).toMatch(
      /arrival windows are not configured/i,
    );
    // Without an arrival window the same job books fine.
    expect((await st.post(JOBS, jobBody())).status).toBe(200);
  });
});

describe('job → invoice → payment arithmetic', () => {
  it('recomputes totals from items and tax, and payments reduce the balance', async () => {
    const job = await createJob();
    const filter = await st.post<{ id: number }>('/pricebook/v2/tenant/{tenant}/equipment', {
      code: 'FLT-16x25x1-M11',
      description: 'Pleated filter 16x25x1 MERV 11',
      price: 19.99,
      account: 'Revenue',
    });
    expect(filter.status).toBe(201);
    expect(
      (
        await addItem(job.invoiceId, {
          skuId: filter.body.id,
          description: 'Filter',
          quantity: 2,
          unitPrice: 24.99,
        })
      ).status,
    ).toBe(200);
    expect(
      (await addItem(job.invoiceId, { skuName: 'SVC-DIAG', description: 'Diagnostic', quantity: 1 })).status,
    ).toBe(200);
    expect((await st.patch(`${INVOICES}/${job.invoiceId}`, { tax: 4.12 })).status).toBe(200);

    let inv = await invoice(job.invoiceId);
    expect(inv.items.map((i) => [i.type, i.quantity, i.price, i.total])).toEqual([
      ['Equipment', '2.00', '24.99', '49.98'],
      ['Service', '1.00', '89.00', '89.00'],
    ]);
    expect(inv).toMatchObject({
      subTotal: '138.98',
      salesTax: '4.12',
      total: '143.10',
      balance: '143.10',
      paidOn: null,
    });

    const payment = await st.post<{ id: number; splits: { invoiceId: number; amount: number }[] }>(PAYMENTS, {
      typeId: SEED_IDS.paymentTypes.contractorCommerce,
      amount: 100,
      memo: 'pay_9',
      splits: [{ invoiceId: job.invoiceId, amount: 100 }],
    });
    expect(payment.status, payment.text).toBe(200);
    inv = await invoice(job.invoiceId);
    expect(inv.balance).toBe('43.10');

    await st.post(PAYMENTS, {
      typeId: SEED_IDS.paymentTypes.creditCard,
      splits: [{ invoiceId: job.invoiceId, amount: 43.1 }],
    });
    inv = await invoice(job.invoiceId);
    expect(inv.balance).toBe('0.00');
    expect(inv.paidOn).not.toBeNull();

    const listed = await st.get<{
      data: { total: string; typeId: string; appliedTo: { appliedTo: number; appliedAmount: string }[] }[];
    }>(`${PAYMENTS}?appliedToInvoiceIds=${job.invoiceId}`);
    expect(listed.body.data.map((p) => [p.total, p.typeId, p.appliedTo[0]?.appliedAmount])).toEqual([
      ['100.00', String(SEED_IDS.paymentTypes.contractorCommerce), '100.00'],
      ['43.10', String(SEED_IDS.paymentTypes.creditCard), '43.10'],
    ]);
  });

  it('updates an item given its id, and deleting an item lowers the total', async () => {
    const job = await createJob();
    await addItem(job.invoiceId, {
      skuId: SEED_IDS.pricebook.onlineStoreEquipment,
      description: 'A',
      quantity: 1,
      unitPrice: 10,
    });
    await addItem(job.invoiceId, {
      skuId: SEED_IDS.pricebook.onlineStoreEquipment,
      description: 'B',
      quantity: 1,
      unitPrice: 5,
    });
    const [first, second] = (await invoice(job.invoiceId)).items;
    await addItem(job.invoiceId, { id: first?.id, description: 'A', quantity: 3, unitPrice: 10 });
    expect((await invoice(job.invoiceId)).total).toBe('35.00');
    expect((await st.delete(`${INVOICES}/${job.invoiceId}/items/${second?.id}`)).status).toBe(200);
    const inv = await invoice(job.invoiceId);
    expect(inv.items).toHaveLength(1);
    expect(inv.total).toBe('30.00');
    expect((await st.delete(`${INVOICES}/${job.invoiceId}/items/${second?.id}`)).status).toBe(404);
  });

  it('uses the pricebook price when no unitPrice is given', async () => {
    const job = await createJob();
    await addItem(job.invoiceId, {
      skuId: SEED_IDS.pricebook.genericFilterMaterial,
      description: 'Filter',
      quantity: 3,
    });
    const inv = await invoice(job.invoiceId);
    expect(inv.items[0]).toMatchObject({ type: 'Material', price: '19.99', total: '59.97' });
  });

  it('answers 500 "Sku (Name:) is not found." for an item without a SKU, like ServiceTitan', async () => {
    const job = await createJob();
    const res = await addItem(job.invoiceId, { description: 'Mystery', quantity: 1, unitPrice: 5 });
    expect(res.status).toBe(500);
    expect(res.body?.title).toBe('Sku (Name:) is not found.');
    expect((await invoice(job.invoiceId)).items).toEqual([]);
  });

  it('lets PATCH set the subtotal explicitly until the items change', async () => {
    const job = await createJob();
    await addItem(job.invoiceId, {
      skuId: SEED_IDS.pricebook.onlineStoreEquipment,
      description: 'A',
      quantity: 1,
      unitPrice: 10,
    });
    await st.patch(`${INVOICES}/${job.invoiceId}`, { subtotal: 12.5, tax: 1 });
    expect(await invoice(job.invoiceId)).toMatchObject({ subTotal: '12.50', total: '13.50' });
    await addItem(job.invoiceId, {
      skuId: SEED_IDS.pricebook.onlineStoreEquipment,
      description: 'B',
      quantity: 1,
      unitPrice: 2,
    });
    expect(await invoice(job.invoiceId)).toMatchObject({ subTotal: '12.00', total: '13.00' });
  });

  it('refuses a payment type an admin deactivated', async () => {
    const job = await createJob();
    await st.control('PATCH', `/entities/payment-types/${SEED_IDS.paymentTypes.contractorCommerce}`, {
      active: false,
    });
    const res = await st.post<ErrorBody>(PAYMENTS, {
      typeId: SEED_IDS.paymentTypes.contractorCommerce,
      splits: [{ invoiceId: job.invoiceId, amount: 1 }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty('typeId');
  });

  it('refuses splits larger than the payment amount and splits to unknown invoices', async () => {
    const job = await createJob();
    const typeId = SEED_IDS.paymentTypes.check;
    expect(
      (await st.post(PAYMENTS, { typeId, amount: 5, splits: [{ invoiceId: job.invoiceId, amount: 6 }] }))
        .status,
    ).toBe(400);
    expect((await st.post(PAYMENTS, { typeId, splits: [{ invoiceId: 424242, amount: 6 }] })).status).toBe(
      400,
    );
  });

  it('locks the invoice once it is no longer Pending', async () => {
    const job = await createJob();
    await st.control('PATCH', `/entities/invoices/${job.invoiceId}`, { syncStatus: 'Posted' });
    const res = await addItem(job.invoiceId, {
      skuId: SEED_IDS.pricebook.onlineStoreEquipment,
      description: 'A',
      quantity: 1,
    });
    expect(res.status).toBe(400);
  });
});

describe('cancel', () => {
  it('cancels with a known reason and removes the cancellation', async () => {
    const job = await createJob();
    const cancel = await st.put(`${JOBS}/${job.id}/cancel`, {
      reasonId: SEED_IDS.jobCancelReasons.canceledByIntegration,
      memo: 'refund',
    });
    expect(cancel.status).toBe(200);
    expect(cancel.text).toBe('');
    expect((await st.get<Job>(`${JOBS}/${job.id}`)).body.jobStatus).toBe('Canceled');
    const appt = await st.get<{ status: string }>(
      `/jpm/v2/tenant/{tenant}/appointments/${job.firstAppointmentId}`,
    );
    expect(appt.body.status).toBe('Canceled');
    expect((await st.put(`${JOBS}/${job.id}/remove-cancellation`)).status).toBe(200);
    expect((await st.get<Job>(`${JOBS}/${job.id}`)).body.jobStatus).toBe('Scheduled');
  });

  it('refuses an unknown reason and needs the memo', async () => {
    const job = await createJob();
    expect((await st.put(`${JOBS}/${job.id}/cancel`, { reasonId: 999, memo: 'x' })).status).toBe(400);
    expect(
      (await st.put(`${JOBS}/${job.id}/cancel`, { reasonId: SEED_IDS.jobCancelReasons.customerRequest }))
        .status,
    ).toBe(400);
    expect(
      (
        await st.put(`${JOBS}/424242/cancel`, {
          reasonId: SEED_IDS.jobCancelReasons.customerRequest,
          memo: 'x',
        })
      ).status,
    ).toBe(404);
  });
});

describe('technician assignment', () => {
  it('adds technicians to an appointment without removing those already assigned', async () => {
    const job = await createJob();
    const res = await st.post('/dispatch/v2/tenant/{tenant}/appointment-assignments/assign-technicians', {
      jobAppointmentId: job.firstAppointmentId,
      technicianIds: [SEED_IDS.technicians.sam, SEED_IDS.technicians.alex],
    });
    expect(res.status).toBe(200);
    const list = await st.get<{ data: { technicianId: number }[] }>(
      `/dispatch/v2/tenant/{tenant}/appointment-assignments?appointmentIds=${job.firstAppointmentId}`,
    );
    expect(list.body.data.map((a) => a.technicianId).sort()).toEqual([
      SEED_IDS.technicians.alex,
      SEED_IDS.technicians.sam,
    ]);
  });
});
