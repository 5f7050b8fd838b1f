import { z } from 'zod';
import { type ApiContext, asQuery, type CallOptions } from './api-context.js';
import {
  type ActiveFilter,
  type ChangeRangeQuery,
  customFieldResponseSchema,
  idSchema,
  openEnum,
  parseRequest,
} from './common.js';
import {
  type ExternalDataQuery,
  externalDataCreateSchema,
  externalDataFilter,
  externalDataListSchema,
  externalDataUpdateSchema,
} from './external-data.js';
import { type PagedList, type PageQuery, pagedList, pageSchema } from './paging.js';

// jpm-v2.json: job types, jobs, cancel reasons, appointments.

export const JOB_STATUSES = [
  'Scheduled',
  'Dispatched',
  'InProgress',
  'Hold',
  'Completed',
  'Canceled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const APPOINTMENT_STATUSES = [
  'Scheduled',
  'Dispatched',
  'Working',
  'Hold',
  'Done',
  'Canceled',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const jobPrioritySchema = z.enum(['Low', 'Normal', 'High', 'Urgent']);
export type JobPriority = z.infer<typeof jobPrioritySchema>;

/** ServiceTitan wants UTC date-times with an explicit offset. */
const dateTimeSchema = z.iso.datetime({ offset: true });

export const jobTypeSchema = z.looseObject({
  id: idSchema,
  name: z.string(),
  active: z.boolean(),
  businessUnitIds: z.array(idSchema).nullish(),
  tagTypeIds: z.array(idSchema).nullish(),
  priority: z.string().nullish(),
  /** Average length, in seconds. */
  duration: z.number().nullish(),
  class: z.string().nullish(),
  summary: z.string().nullish(),
  noCharge: z.boolean().nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
  externalData: externalDataListSchema,
});
export type JobType = z.infer<typeof jobTypeSchema>;

export const jobSchema = z.looseObject({
  id: idSchema,
  jobNumber: z.string(),
  customerId: idSchema,
  locationId: idSchema,
  jobStatus: openEnum(JOB_STATUSES),
  businessUnitId: idSchema,
  jobTypeId: idSchema,
  priority: z.string().nullish(),
  campaignId: idSchema.nullish(),
  appointmentCount: z.number().nullish(),
  /** The appointment to assign technicians to. */
  firstAppointmentId: idSchema.nullish(),
  lastAppointmentId: idSchema.nullish(),
  /**
   * The job's invoice, created by ServiceTitan when the job is booked. Required by the spec but
   * parsed as optional: a missing id right after create is read-after-write lag, worth a retry.
   */
  invoiceId: idSchema.nullish(),
  projectId: idSchema.nullish(),
  completedOn: z.string().nullish(),
  summary: z.string().nullish(),
  customerPo: z.string().nullish(),
  soldById: idSchema.nullish(),
  tagTypeIds: z.array(idSchema).nullish(),
  customFields: z.array(customFieldResponseSchema).nullish(),
  /** JSON number in JPM (unlike accounting's strings). */
  total: z.number().nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
  externalData: externalDataListSchema,
});
export type Job = z.infer<typeof jobSchema>;

export const jobCancelReasonSchema = z.looseObject({
  id: idSchema,
  name: z.string(),
  active: z.boolean(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type JobCancelReason = z.infer<typeof jobCancelReasonSchema>;

export const appointmentSchema = z.looseObject({
  id: idSchema,
  jobId: idSchema,
  appointmentNumber: z.string().nullish(),
  start: z.string(),
  end: z.string(),
  arrivalWindowStart: z.string().nullish(),
  arrivalWindowEnd: z.string().nullish(),
  status: openEnum(APPOINTMENT_STATUSES),
  specialInstructions: z.string().nullish(),
  customerId: idSchema.nullish(),
  unused: z.boolean().nullish(),
  isConfirmed: z.boolean().nullish(),
  active: z.boolean().nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

export const appointmentInformationSchema = z.object({
  start: dateTimeSchema,
  end: dateTimeSchema,
  arrivalWindowStart: dateTimeSchema.optional(),
  arrivalWindowEnd: dateTimeSchema.optional(),
  technicianIds: z.array(idSchema).optional(),
});
export type AppointmentInformation = z.input<typeof appointmentInformationSchema>;

/** `POST /jobs`. ServiceTitan also creates the appointments and a Pending invoice (`invoiceId`). */
export const jobCreateSchema = z.object({
  customerId: idSchema,
  locationId: idSchema,
  businessUnitId: idSchema,
  jobTypeId: idSchema,
  priority: jobPrioritySchema.default('Normal'),
  /** Required: ServiceTitan answers 422 without one. */
  campaignId: idSchema,
  appointments: z.array(appointmentInformationSchema).min(1),
  projectId: idSchema.optional(),
  /** HTML. */
  summary: z.string().optional(),
  customFields: z.array(z.object({ typeId: idSchema, value: z.string().nullish() })).optional(),
  tagTypeIds: z.array(idSchema).optional(),
  externalData: externalDataCreateSchema.optional(),
  customerPo: z.string().optional(),
  soldById: idSchema.optional(),
});
export type JobCreate = z.input<typeof jobCreateSchema>;

export const jobUpdateSchema = z.object({
  customerId: idSchema.optional(),
  locationId: idSchema.optional(),
  businessUnitId: idSchema.optional(),
  jobTypeId: idSchema.optional(),
  priority: jobPrioritySchema.optional(),
  campaignId: idSchema.optional(),
  summary: z.string().optional(),
  /** Re-assigns the invoice items to the job's new business unit. */
  shouldUpdateInvoiceItems: z.boolean().optional(),
  customFields: z.array(z.object({ typeId: idSchema, value: z.string().nullish() })).optional(),
  /** Full replacement list: tags left out are removed. */
  tagTypeIds: z.array(idSchema).optional(),
  externalData: externalDataUpdateSchema.optional(),
  customerPo: z.string().optional(),
  soldById: idSchema.nullish(),
});
export type JobUpdate = z.input<typeof jobUpdateSchema>;

export const jobCancelSchema = z.object({
  /** From `jobCancelReasons`. */
  reasonId: idSchema,
  memo: z.string().default(''),
});
export type JobCancel = z.input<typeof jobCancelSchema>;

const jobTypePageSchema = pageSchema(jobTypeSchema);
const jobPageSchema = pageSchema(jobSchema);
const jobCancelReasonPageSchema = pageSchema(jobCancelReasonSchema);
const appointmentPageSchema = pageSchema(appointmentSchema);

export interface JobTypeListQuery extends PageQuery, ChangeRangeQuery {
  ids?: readonly number[];
  name?: string;
  active?: ActiveFilter;
  /** `id`, `modifiedOn` or `createdOn`. */
  orderBy?: string;
  orderByDirection?: 'asc' | 'desc';
  /** Defaults to the client's GUID, so our externalData comes back. */
  externalDataApplicationGuid?: string;
}

export interface JobListQuery extends PageQuery, ChangeRangeQuery, ExternalDataQuery {
  ids?: readonly number[];
  number?: string;
  jobStatus?: JobStatus;
  appointmentStatus?: AppointmentStatus;
  priority?: JobPriority;
  customerId?: number;
  locationId?: number;
  jobTypeId?: number;
  campaignId?: number;
  businessUnitId?: number;
  invoiceId?: number;
  technicianId?: number;
  /** Jobs with at least one of these tags. */
  tagTypeIds?: readonly number[];
  firstAppointmentStartsOnOrAfter?: string;
  firstAppointmentStartsBefore?: string;
  completedOnOrAfter?: string;
  completedBefore?: string;
  sort?: string;
}

export interface JobCancelReasonListQuery extends PageQuery {
  /** ServiceTitan returns active and inactive reasons unless told otherwise. */
  active?: ActiveFilter;
  sort?: string;
}

export interface AppointmentListQuery extends PageQuery, ChangeRangeQuery {
  ids?: readonly number[];
  jobId?: number;
  customerId?: number;
  technicianId?: number;
  number?: string;
  status?: AppointmentStatus;
  startsOnOrAfter?: string;
  startsBefore?: string;
  unused?: boolean;
  active?: ActiveFilter;
  sort?: string;
}

export interface JobTypesApi extends PagedList<JobTypeListQuery, JobType> {
  /** One job type, with our externalData. */
  get(id: number, options?: CallOptions): Promise<JobType>;
}

export interface JobsApi extends PagedList<JobListQuery, Job> {
  /** Jobs carrying our externalData `key` with any of `values`, whatever their status. */
  findByExternalData(key: string, values: string | readonly string[], options?: CallOptions): Promise<Job[]>;
  /** One job, with our externalData; 404 (`not-found`) if there is none. */
  get(id: number, options?: CallOptions): Promise<Job>;
  /**
   * Books a job. ServiceTitan also creates its appointment(s) (assigning `technicianIds`) and a
   * Pending invoice whose id is `invoiceId` on the answer. Not idempotent: look the job up by
   * externalData before retrying.
   */
  create(body: JobCreate, options?: CallOptions): Promise<Job>;
  update(id: number, body: JobUpdate, options?: CallOptions): Promise<Job>;
  /** Cancels a job (jobs cannot be deleted); `reasonId` from `jobCancelReasons`. */
  cancel(id: number, body: JobCancel, options?: CallOptions): Promise<void>;
  /** Undoes `cancel`. */
  removeCancellation(id: number, options?: CallOptions): Promise<void>;
}

export interface AppointmentsApi extends PagedList<AppointmentListQuery, Appointment> {
  get(id: number, options?: CallOptions): Promise<Appointment>;
}

export interface JpmApi {
  jobTypes: JobTypesApi;
  jobs: JobsApi;
  jobCancelReasons: PagedList<JobCancelReasonListQuery, JobCancelReason>;
  appointments: AppointmentsApi;
}

export function createJpmApi({ http, applicationGuid }: ApiContext): JpmApi {
  const jobTypes: JobTypesApi = {
    ...pagedList<JobTypeListQuery, JobType>('GET /jpm/v2/tenant/{tenant}/job-types', (query, options) =>
      http.request(
        {
          method: 'GET',
          module: 'jpm',
          path: 'job-types',
          query: asQuery({ externalDataApplicationGuid: applicationGuid, ...query }),
          subject: 'the job types',
          ...options,
        },
        jobTypePageSchema,
      ),
    ),
    async get(id: number, options?: CallOptions): Promise<JobType> {
      return http.request(
        {
          method: 'GET',
          module: 'jpm',
          path: 'job-types/{id}',
          pathParams: { id },
          query: { externalDataApplicationGuid: applicationGuid },
          subject: `job type ${id}`,
          ...options,
        },
        jobTypeSchema,
      );
    },
  };

  // Job reads always send our GUID: the spec says it only selects which externalData comes back.
  const jobList = pagedList<JobListQuery, Job>('GET /jpm/v2/tenant/{tenant}/jobs', (query, options) =>
    http.request(
      {
        method: 'GET',
        module: 'jpm',
        path: 'jobs',
        query: asQuery({ externalDataApplicationGuid: applicationGuid, ...query }),
        subject: 'the job search',
        ...options,
      },
      jobPageSchema,
    ),
  );

  const jobs: JobsApi = {
    ...jobList,

    async findByExternalData(
      key: string,
      values: string | readonly string[],
      options?: CallOptions,
    ): Promise<Job[]> {
      return jobList.listAll(externalDataFilter(applicationGuid, key, values), options);
    },

    async get(id: number, options?: CallOptions): Promise<Job> {
      return http.request(
        {
          method: 'GET',
          module: 'jpm',
          path: 'jobs/{id}',
          pathParams: { id },
          query: { externalDataApplicationGuid: applicationGuid },
          subject: `job ${id}`,
          ...options,
        },
        jobSchema,
      );
    },

    async create(body: JobCreate, options?: CallOptions): Promise<Job> {
      return http.request(
        {
          method: 'POST',
          module: 'jpm',
          path: 'jobs',
          body: parseRequest(jobCreateSchema, body, 'POST /jpm/v2/tenant/{tenant}/jobs'),
          subject: 'the job',
          ...options,
        },
        jobSchema,
      );
    },

    async update(id: number, body: JobUpdate, options?: CallOptions): Promise<Job> {
      return http.request(
        {
          method: 'PATCH',
          module: 'jpm',
          path: 'jobs/{id}',
          pathParams: { id },
          body: parseRequest(jobUpdateSchema, body, 'PATCH /jpm/v2/tenant/{tenant}/jobs/{id}'),
          subject: `the changes to job ${id}`,
          ...options,
        },
        jobSchema,
      );
    },

    async cancel(id: number, body: JobCancel, options?: CallOptions): Promise<void> {
      return http.requestVoid({
        method: 'PUT',
        module: 'jpm',
        path: 'jobs/{id}/cancel',
        pathParams: { id },
        body: parseRequest(jobCancelSchema, body, 'PUT /jpm/v2/tenant/{tenant}/jobs/{id}/cancel'),
        subject: `the cancellation of job ${id}`,
        ...options,
      });
    },

    async removeCancellation(id: number, options?: CallOptions): Promise<void> {
      return http.requestVoid({
        method: 'PUT',
        module: 'jpm',
        path: 'jobs/{id}/remove-cancellation',
        pathParams: { id },
        subject: `the un-cancellation of job ${id}`,
        ...options,
      });
    },
  };

  const jobCancelReasons: PagedList<JobCancelReasonListQuery, JobCancelReason> = pagedList<
    JobCancelReasonListQuery,
    JobCancelReason
  >('GET /jpm/v2/tenant/{tenant}/job-cancel-reasons', (query, options) =>
    http.request(
      {
        method: 'GET',
        module: 'jpm',
        path: 'job-cancel-reasons',
        query: asQuery(query),
        subject: 'the job cancel reasons',
        ...options,
      },
      jobCancelReasonPageSchema,
    ),
  );

  const appointments: AppointmentsApi = {
    ...pagedList<AppointmentListQuery, Appointment>(
      'GET /jpm/v2/tenant/{tenant}/appointments',
      (query, options) =>
        http.request(
          {
            method: 'GET',
            module: 'jpm',
            path: 'appointments',
            query: asQuery(query),
            subject: 'the appointments',
            ...options,
          },
          appointmentPageSchema,
        ),
    ),
    async get(id: number, options?: CallOptions): Promise<Appointment> {
      return http.request(
        {
          method: 'GET',
          module: 'jpm',
          path: 'appointments/{id}',
          pathParams: { id },
          subject: `appointment ${id}`,
          ...options,
        },
        appointmentSchema,
      );
    },
  };

  return { jobTypes, jobs, jobCancelReasons, appointments };
}
