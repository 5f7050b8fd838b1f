import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRouter, found, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import { ApiError, badRequest } from './errors.js';
import {
  applyExternalDataUpdate,
  createExternalData,
  externalDataCreateSchema,
  externalDataUpdateSchema,
  matchesExternalData,
  readExternalData,
  readExternalDataFilter,
  readGuidParam,
} from './external-data.js';
import { totalCents } from './invoice-math.js';
import { centsToNumber } from './money.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, dateRangeFilter, sortItems } from './query.js';
import {
  type Appointment,
  type AppointmentAssignment,
  type Invoice,
  isoNow,
  type Job,
  type JobStatus,
  type TenantData,
} from './state.js';
import { isoDateTime, parseBody } from './validation.js';

// Jobs. Booking a job in ServiceTitan also creates its appointment(s), assigns the technicians given,
// and creates the job's invoice in Pending status (`invoiceId` on the job). Creation validates every
// reference the way ST does: customer/location ownership, business unit, job type, campaign.

const PRIORITIES = ['Low', 'Normal', 'High', 'Urgent'] as const;
const JOB_STATUSES: readonly JobStatus[] = [
  'Scheduled',
  'Dispatched',
  'InProgress',
  'Hold',
  'Completed',
  'Canceled',
];

const appointmentSchema = z.object({
  start: isoDateTime,
  end: isoDateTime,
  arrivalWindowStart: isoDateTime.nullish(),
  arrivalWindowEnd: isoDateTime.nullish(),
  technicianIds: z.array(z.number().int()).nullish(),
});

const createJobSchema = z.object({
  customerId: z.number().int(),
  locationId: z.number().int(),
  projectId: z.number().int().nullish(),
  businessUnitId: z.number().int(),
  jobGeneratedLeadSource: z
    .object({ jobId: z.number().int().nullish(), employeeId: z.number().int().nullish() })
    .nullish(),
  jobTypeId: z.number().int(),
  priority: z.string(),
  // Checked separately: ST answers 422 (not 400) for a job without a campaign.
  campaignId: z.number().int().nullish(),
  appointments: z.array(appointmentSchema).min(1, 'A job needs at least one appointment.'),
  summary: z.string().nullish(),
  customFields: z.array(z.object({ typeId: z.number().int(), value: z.string().nullish() })).nullish(),
  tagTypeIds: z.array(z.number().int()).nullish(),
  externalData: externalDataCreateSchema.nullish(),
  invoiceSignatureIsRequired: z.boolean().nullish(),
  customerPo: z.string().nullish(),
  soldById: z.number().int().nullish(),
  partnerLeadCallId: z.number().int().nullish(),
  leadId: z.number().int().nullish(),
  bookingId: z.number().int().nullish(),
});

const updateJobSchema = z.object({
  summary: z.string().nullish(),
  customerPo: z.string().nullish(),
  priority: z.string().nullish(),
  tagTypeIds: z.array(z.number().int()).nullish(),
  externalData: externalDataUpdateSchema.nullish(),
});

const cancelSchema = z.object({ reasonId: z.number().int(), memo: z.string() });

function iso(value: string): string {
  return isoNow(new Date(value));
}

function canonicalPriority(value: string, field = 'priority'): (typeof PRIORITIES)[number] {
  const found = PRIORITIES.find((p) => p.toLowerCase() === value.toLowerCase());
  if (!found) throw badRequest(field, `Priority '${value}' is not valid. Allowed: ${PRIORITIES.join(', ')}.`);
  return found;
}

export function jobResponse(tenant: TenantData, job: Job, guid: string | undefined) {
  const invoice = tenant.invoices.get(job.invoiceId);
  return {
    id: job.id,
    jobNumber: job.jobNumber,
    projectId: job.projectId,
    customerId: job.customerId,
    locationId: job.locationId,
    jobStatus: job.jobStatus,
    completedOn: job.completedOn,
    businessUnitId: job.businessUnitId,
    jobTypeId: job.jobTypeId,
    priority: job.priority,
    campaignId: job.campaignId,
    appointmentCount: job.appointmentIds.length,
    firstAppointmentId: job.appointmentIds[0] ?? 0,
    lastAppointmentId: job.appointmentIds[job.appointmentIds.length - 1] ?? 0,
    recallForId: null,
    warrantyId: null,
    jobGeneratedLeadSource: job.jobGeneratedLeadSource,
    noCharge: false,
    notificationsEnabled: true,
    createdOn: job.createdOn,
    createdById: job.createdById,
    modifiedOn: job.modifiedOn,
    tagTypeIds: [...job.tagTypeIds],
    leadCallId: null,
    partnerLeadCallId: job.partnerLeadCallId,
    bookingId: job.bookingId,
    soldById: job.soldById,
    customerPo: job.customerPo ?? '',
    invoiceId: job.invoiceId,
    membershipId: null,
    total: invoice ? centsToNumber(totalCents(invoice)) : 0,
    createdFromEstimateId: null,
    estimateIds: [],
    summary: job.summary,
    customFields: job.customFields.map((f) => ({
      typeId: f.typeId,
      name: `Custom field ${f.typeId}`,
      value: f.value ?? '',
    })),
    externalData: readExternalData(job.externalData, guid),
  };
}

/** Active arrival-window templates that apply to a business unit (no business units = all of them). */
function hasArrivalWindowFor(tenant: TenantData, businessUnitId: number): boolean {
  for (const w of tenant.arrivalWindows.values()) {
    if (w.active && (w.businessUnitIds.length === 0 || w.businessUnitIds.includes(businessUnitId)))
      return true;
  }
  return false;
}

function validateReferences(
  tenant: TenantData,
  body: z.infer<typeof createJobSchema> & { campaignId: number },
): void {
  const customer = tenant.customers.get(body.customerId);
  if (!customer)
    throw new ApiError(404, `Customer with id ${body.customerId} was not found.`, {
      customerId: ['Customer not found.'],
    });
  if (!customer.active) throw badRequest('customerId', `Customer ${customer.id} is inactive.`);
  const location = tenant.locations.get(body.locationId);
  if (!location)
    throw new ApiError(404, `Location with id ${body.locationId} was not found.`, {
      locationId: ['Location not found.'],
    });
  if (location.customerId !== customer.id) {
    throw badRequest('locationId', `Location ${location.id} does not belong to customer ${customer.id}.`);
  }
  if (!location.active) throw badRequest('locationId', `Location ${location.id} is inactive.`);
  const bu = tenant.businessUnits.get(body.businessUnitId);
  if (!bu) throw badRequest('businessUnitId', `Business unit with id ${body.businessUnitId} was not found.`);
  if (!bu.active) throw badRequest('businessUnitId', `Business unit ${bu.id} (${bu.name}) is inactive.`);
  const jobType = tenant.jobTypes.get(body.jobTypeId);
  if (!jobType) throw badRequest('jobTypeId', `Job type with id ${body.jobTypeId} was not found.`);
  if (!jobType.active) throw badRequest('jobTypeId', `Job type ${jobType.id} (${jobType.name}) is inactive.`);
  if (jobType.businessUnitIds.length > 0 && !jobType.businessUnitIds.includes(bu.id)) {
    throw badRequest(
      'jobTypeId',
      `Job type ${jobType.id} (${jobType.name}) is not available for business unit ${bu.id} (${bu.name}).`,
    );
  }
  const campaign = tenant.campaigns.get(body.campaignId);
  if (!campaign) throw badRequest('campaignId', `Campaign with id ${body.campaignId} was not found.`);
  if (!campaign.active)
    throw badRequest('campaignId', `Campaign ${campaign.id} (${campaign.name}) is inactive.`);
  for (const tagTypeId of body.tagTypeIds ?? []) {
    if (!tenant.tagTypes.has(tagTypeId))
      throw badRequest('tagTypeIds', `Tag type with id ${tagTypeId} was not found.`);
  }
  body.appointments.forEach((a, i) => {
    const field = `appointments[${i}]`;
    if (Date.parse(a.end) <= Date.parse(a.start))
      throw badRequest(`${field}.end`, 'The appointment must end after it starts.');
    const hasStart = a.arrivalWindowStart != null;
    const hasEnd = a.arrivalWindowEnd != null;
    if (hasStart || hasEnd) {
      if (!hasStart || !hasEnd) {
        throw badRequest(
          `${field}.arrivalWindowStart`,
          'arrivalWindowStart and arrivalWindowEnd must be given together.',
        );
      }
      if (!hasArrivalWindowFor(tenant, bu.id)) {
        throw badRequest(
          `${field}.arrivalWindowStart`,
          `Arrival windows are not configured: there is no active arrival window for business unit ${bu.id} (${bu.name}).`,
        );
      }
      if (Date.parse(a.arrivalWindowEnd ?? '') <= Date.parse(a.arrivalWindowStart ?? '')) {
        throw badRequest(`${field}.arrivalWindowEnd`, 'The arrival window must end after it starts.');
      }
    }
    for (const techId of a.technicianIds ?? []) {
      const tech = tenant.technicians.get(techId);
      if (!tech) throw badRequest(`${field}.technicianIds`, `Technician with id ${techId} was not found.`);
      if (!tech.active)
        throw badRequest(`${field}.technicianIds`, `Technician ${techId} (${tech.name}) is inactive.`);
    }
  });
}

export function registerJobRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const api = apiRouter(app, 'jpm');

  api.post('/jobs', (req) => {
    const tenant = tenantOf(req);
    const parsed = parseBody(createJobSchema, req.body);
    if (parsed.campaignId == null) {
      throw new ApiError(422, 'The campaign is required to book a job.', {
        campaignId: ['The CampaignId field is required.'],
      });
    }
    const body = { ...parsed, campaignId: parsed.campaignId };
    const priority = canonicalPriority(body.priority);
    validateReferences(tenant, body);

    const now = ctx.now();
    const jobId = ctx.nextId();
    const jobNumber = String(jobId);
    const appointments: Appointment[] = body.appointments.map((a, i) => ({
      id: ctx.nextId(),
      jobId,
      customerId: body.customerId,
      appointmentNumber: `${jobNumber}-${i + 1}`,
      start: iso(a.start),
      end: iso(a.end),
      arrivalWindowStart: a.arrivalWindowStart ? iso(a.arrivalWindowStart) : null,
      arrivalWindowEnd: a.arrivalWindowEnd ? iso(a.arrivalWindowEnd) : null,
      status: 'Scheduled',
      specialInstructions: null,
      unused: false,
      isConfirmed: false,
      active: true,
      createdById: 1,
      createdOn: now,
      modifiedOn: now,
    }));
    const assignments: AppointmentAssignment[] = body.appointments.flatMap((a, i) =>
      [...new Set(a.technicianIds ?? [])].map((technicianId) => ({
        id: ctx.nextId(),
        technicianId,
        appointmentId: appointments[i]?.id ?? 0,
        jobId,
        assignedById: 1,
        assignedOn: now,
        status: 'Scheduled' as const,
        isPaused: false,
        active: true,
        createdOn: now,
        modifiedOn: now,
      })),
    );
    const invoice: Invoice = {
      id: ctx.nextId(),
      jobId,
      customerId: body.customerId,
      locationId: body.locationId,
      businessUnitId: body.businessUnitId,
      referenceNumber: jobNumber,
      invoiceDate: now,
      dueDate: null,
      syncStatus: 'Pending',
      summary: body.summary ?? null,
      items: [],
      subTotalOverrideCents: null,
      salesTaxCents: 0,
      appliedCents: 0,
      reviewStatus: 'NeedsReview',
      sentStatus: 'NotSent',
      exportId: null,
      paidOn: null,
      active: true,
      createdOn: now,
      modifiedOn: now,
    };
    const job: Job = {
      id: jobId,
      jobNumber,
      projectId: body.projectId ?? null,
      customerId: body.customerId,
      locationId: body.locationId,
      jobStatus: 'Scheduled',
      completedOn: null,
      businessUnitId: body.businessUnitId,
      jobTypeId: body.jobTypeId,
      priority,
      campaignId: body.campaignId,
      appointmentIds: appointments.map((a) => a.id),
      jobGeneratedLeadSource: body.jobGeneratedLeadSource
        ? {
            jobId: body.jobGeneratedLeadSource.jobId ?? null,
            employeeId: body.jobGeneratedLeadSource.employeeId ?? null,
          }
        : null,
      summary: body.summary ?? null,
      customerPo: body.customerPo ?? null,
      soldById: body.soldById ?? null,
      bookingId: body.bookingId ?? null,
      leadId: body.leadId ?? null,
      partnerLeadCallId: body.partnerLeadCallId ?? null,
      invoiceSignatureIsRequired: body.invoiceSignatureIsRequired ?? false,
      tagTypeIds: [...new Set(body.tagTypeIds ?? [])],
      customFields: (body.customFields ?? []).map((f) => ({ typeId: f.typeId, value: f.value ?? null })),
      externalData: createExternalData(body.externalData),
      invoiceId: invoice.id,
      cancellation: null,
      createdOn: now,
      createdById: 1,
      modifiedOn: now,
    };
    tenant.jobs.set(job.id, job);
    for (const a of appointments) tenant.appointments.set(a.id, a);
    for (const a of assignments) tenant.assignments.set(a.id, a);
    tenant.invoices.set(invoice.id, invoice);
    const guid = readGuidParam(queryOf(req)) ?? body.externalData?.applicationGuid.toLowerCase();
    return jobResponse(tenant, job, guid);
  });

  api.get('/jobs/{id}', (req) => {
    const tenant = tenantOf(req);
    return jobResponse(tenant, found(tenant.jobs, pathId(req), 'Job'), readGuidParam(queryOf(req)));
  });

  api.get('/jobs', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const guid = readGuidParam(q);
    const ids = q.ids('ids');
    const number = q.string('number');
    const statuses = q.enumList('jobStatus', JOB_STATUSES);
    const priority = q.string('priority');
    const filters = {
      customerId: q.int('customerId'),
      locationId: q.int('locationId'),
      jobTypeId: q.int('jobTypeId'),
      campaignId: q.int('campaignId'),
      businessUnitId: q.int('businessUnitId'),
      invoiceId: q.int('invoiceId'),
      projectId: q.int('projectId'),
      bookingId: q.int('bookingId'),
      soldById: q.int('soldById'),
    };
    const technicianId = q.int('technicianId');
    const tagTypeIds = q.ids('tagTypeIds');
    const external = readExternalDataFilter(q);
    const inRange = dateRangeFilter(q);
    const jobsWithTech =
      technicianId === undefined
        ? undefined
        : new Set(
            [...tenant.assignments.values()]
              .filter((a) => a.active && a.technicianId === technicianId)
              .map((a) => a.jobId),
          );
    const matches = [...tenant.jobs.values()].filter(
      (j) =>
        (!ids || ids.has(j.id)) &&
        (number === undefined || j.jobNumber === number) &&
        (!statuses || statuses.has(j.jobStatus)) &&
        (priority === undefined || j.priority.toLowerCase() === priority.toLowerCase()) &&
        Object.entries(filters).every(
          ([key, value]) => value === undefined || j[key as keyof typeof filters] === value,
        ) &&
        (!jobsWithTech || jobsWithTech.has(j.id)) &&
        (!tagTypeIds || j.tagTypeIds.some((t) => tagTypeIds.has(t))) &&
        matchesExternalData(j.externalData, external) &&
        inRange(j),
    );
    const sorted = sortItems(matches, q.string('sort'), {
      ...COMMON_SORT,
      Priority: (j) => PRIORITIES.indexOf(j.priority as 'Low'),
    });
    return paginate(sorted, paging, (j) => jobResponse(tenant, j, guid));
  });

  api.patch('/jobs/{id}', (req) => {
    const tenant = tenantOf(req);
    const job = found(tenant.jobs, pathId(req), 'Job');
    const body = parseBody(updateJobSchema, req.body);
    if (body.priority != null) job.priority = canonicalPriority(body.priority);
    if (body.summary !== undefined) job.summary = body.summary;
    if (body.customerPo !== undefined) job.customerPo = body.customerPo;
    if (body.tagTypeIds != null) {
      for (const t of body.tagTypeIds)
        if (!tenant.tagTypes.has(t)) throw badRequest('tagTypeIds', `Tag type with id ${t} was not found.`);
      job.tagTypeIds = [...new Set(body.tagTypeIds)];
    }
    if (body.externalData != null) applyExternalDataUpdate(job.externalData, body.externalData);
    job.modifiedOn = ctx.now();
    const guid = readGuidParam(queryOf(req)) ?? body.externalData?.applicationGuid.toLowerCase();
    return jobResponse(tenant, job, guid);
  });

  api.put('/jobs/{id}/cancel', (req, reply) => {
    const tenant = tenantOf(req);
    const job = found(tenant.jobs, pathId(req), 'Job');
    const body = parseBody(cancelSchema, req.body);
    const reason = tenant.jobCancelReasons.get(body.reasonId);
    if (!reason) throw badRequest('reasonId', `Job cancel reason with id ${body.reasonId} was not found.`);
    if (!reason.active)
      throw badRequest('reasonId', `Job cancel reason ${reason.id} (${reason.name}) is inactive.`);
    if (job.jobStatus === 'Completed')
      throw badRequest('id', `Job ${job.id} is completed and cannot be canceled.`);
    if (job.jobStatus !== 'Canceled') {
      const now = ctx.now();
      job.jobStatus = 'Canceled';
      job.cancellation = { reasonId: reason.id, memo: body.memo, canceledOn: now };
      job.modifiedOn = now;
      for (const id of job.appointmentIds) {
        const appointment = tenant.appointments.get(id);
        if (appointment) {
          appointment.status = 'Canceled';
          appointment.modifiedOn = now;
        }
      }
    }
    return reply.code(200).send();
  });

  api.put('/jobs/{id}/remove-cancellation', (req, reply) => {
    const tenant = tenantOf(req);
    const job = found(tenant.jobs, pathId(req), 'Job');
    if (job.jobStatus === 'Canceled') {
      const now = ctx.now();
      job.jobStatus = 'Scheduled';
      job.cancellation = null;
      job.modifiedOn = now;
      for (const id of job.appointmentIds) {
        const appointment = tenant.appointments.get(id);
        if (appointment) {
          appointment.status = 'Scheduled';
          appointment.modifiedOn = now;
        }
      }
    }
    return reply.code(200).send();
  });
}
