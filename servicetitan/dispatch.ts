import { z } from 'zod';
import { type ApiContext, asQuery, type CallOptions } from './api-context.js';
import { type ActiveFilter, type ChangeRangeQuery, idSchema, openEnum, parseRequest } from './common.js';
import { APPOINTMENT_STATUSES } from './jpm.js';
import { type PagedList, type PageQuery, pagedList, pageSchema } from './paging.js';

// dispatch-v2.json: arrival windows and technician assignment.

/** .NET TimeSpan text such as `"09:00"` or `"09:00:00"`. */
const timeSpanSchema = z
  .string()
  .regex(/^(\d+\.)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/, 'expected a time such as "09:00"');

/**
 * An arrival-window *template* (appointments carry the concrete date-times). `start` is a time of
 * day; the spec describes `duration` as "the end time … i.e. 11:00", so whether it is a length or an
 * end time is ambiguous — compare like with like and do not compute with it blindly.
 */
export const arrivalWindowSchema = z.looseObject({
  id: idSchema,
  start: z.string(),
  duration: z.string(),
  businessUnitIds: z.array(idSchema).nullish(),
  active: z.boolean(),
});
export type ArrivalWindow = z.infer<typeof arrivalWindowSchema>;

export const arrivalWindowCreateSchema = z.object({
  start: timeSpanSchema,
  duration: timeSpanSchema,
  businessUnitIds: z.array(idSchema),
});
export type ArrivalWindowCreate = z.input<typeof arrivalWindowCreateSchema>;

/** Dispatch's view of an appointment, answered by assign/unassign. */
export const dispatchAppointmentSchema = z.looseObject({
  id: idSchema,
  jobId: idSchema,
  appointmentNumber: z.string().nullish(),
  start: z.string(),
  end: z.string(),
  arrivalWindowStart: z.string().nullish(),
  arrivalWindowEnd: z.string().nullish(),
  status: openEnum(APPOINTMENT_STATUSES),
  specialInstructions: z.string().nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type DispatchAppointment = z.infer<typeof dispatchAppointmentSchema>;

export const appointmentAssignmentSchema = z.looseObject({
  id: idSchema,
  technicianId: idSchema,
  technicianName: z.string().nullish(),
  assignedById: idSchema.nullish(),
  assignedOn: z.string().nullish(),
  status: openEnum(['Scheduled', 'Dispatched', 'Working', 'Done']).nullish(),
  isPaused: z.boolean().nullish(),
  jobId: idSchema,
  appointmentId: idSchema,
  active: z.boolean(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type AppointmentAssignment = z.infer<typeof appointmentAssignmentSchema>;

export const technicianAssignmentSchema = z.object({
  jobAppointmentId: idSchema,
  technicianIds: z.array(idSchema).min(1),
});
export type TechnicianAssignment = z.input<typeof technicianAssignmentSchema>;

const arrivalWindowPageSchema = pageSchema(arrivalWindowSchema);
const appointmentAssignmentPageSchema = pageSchema(appointmentAssignmentSchema);

export interface ArrivalWindowListQuery extends PageQuery {
  active?: ActiveFilter;
  createdBefore?: string;
  createdOnOrAfter?: string;
}

export interface AppointmentAssignmentListQuery extends PageQuery, ChangeRangeQuery {
  ids?: readonly number[];
  appointmentIds?: readonly number[];
  jobId?: number;
  active?: ActiveFilter;
  sort?: string;
}

export interface ArrivalWindowsApi extends PagedList<ArrivalWindowListQuery, ArrivalWindow> {
  get(id: number, options?: CallOptions): Promise<ArrivalWindow>;
  create(body: ArrivalWindowCreate, options?: CallOptions): Promise<ArrivalWindow>;
  /** Activates (`true`) or deactivates (`false`) an arrival window; there is no delete. */
  setActive(id: number, isActive: boolean, options?: CallOptions): Promise<void>;
}

export interface AppointmentAssignmentsApi
  extends PagedList<AppointmentAssignmentListQuery, AppointmentAssignment> {
  /**
   * Adds technicians to an appointment (observed to be additive, S10). Unassigning is
   * `POST …/unassign-technicians` with the same body; not wrapped because the product never
   * removes a technician and the sandbox does not implement it.
   */
  assignTechnicians(body: TechnicianAssignment, options?: CallOptions): Promise<DispatchAppointment>;
}

export interface DispatchApi {
  arrivalWindows: ArrivalWindowsApi;
  appointmentAssignments: AppointmentAssignmentsApi;
}

export function createDispatchApi({ http }: ApiContext): DispatchApi {
  const arrivalWindows: ArrivalWindowsApi = {
    ...pagedList<ArrivalWindowListQuery, ArrivalWindow>(
      'GET /dispatch/v2/tenant/{tenant}/arrival-windows',
      (query, options) =>
        http.request(
          {
            method: 'GET',
            module: 'dispatch',
            path: 'arrival-windows',
            query: asQuery(query),
            subject: 'the arrival windows',
            ...options,
          },
          arrivalWindowPageSchema,
        ),
    ),

    async get(id: number, options?: CallOptions): Promise<ArrivalWindow> {
      return http.request(
        {
          method: 'GET',
          module: 'dispatch',
          path: 'arrival-windows/{id}',
          pathParams: { id },
          subject: `arrival window ${id}`,
          ...options,
        },
        arrivalWindowSchema,
      );
    },

    async create(body: ArrivalWindowCreate, options?: CallOptions): Promise<ArrivalWindow> {
      return http.request(
        {
          method: 'POST',
          module: 'dispatch',
          path: 'arrival-windows',
          body: parseRequest(
            arrivalWindowCreateSchema,
            body,
            'POST /dispatch/v2/tenant/{tenant}/arrival-windows',
          ),
          subject: 'the new arrival window',
          ...options,
        },
        arrivalWindowSchema,
      );
    },

    async setActive(id: number, isActive: boolean, options?: CallOptions): Promise<void> {
      return http.requestVoid({
        method: 'PUT',
        module: 'dispatch',
        path: 'arrival-windows/{id}/activated',
        pathParams: { id },
        body: { isActive },
        subject: `the activation of arrival window ${id}`,
        ...options,
      });
    },
  };

  const appointmentAssignments: AppointmentAssignmentsApi = {
    ...pagedList<AppointmentAssignmentListQuery, AppointmentAssignment>(
      'GET /dispatch/v2/tenant/{tenant}/appointment-assignments',
      (query, options) =>
        http.request(
          {
            method: 'GET',
            module: 'dispatch',
            path: 'appointment-assignments',
            query: asQuery(query),
            subject: 'the appointment assignments',
            ...options,
          },
          appointmentAssignmentPageSchema,
        ),
    ),

    async assignTechnicians(body: TechnicianAssignment, options?: CallOptions): Promise<DispatchAppointment> {
      return http.request(
        {
          method: 'POST',
          module: 'dispatch',
          path: 'appointment-assignments/assign-technicians',
          body: parseRequest(
            technicianAssignmentSchema,
            body,
            'POST /dispatch/v2/tenant/{tenant}/appointment-assignments/assign-technicians',
          ),
          subject: `the technician assignment for appointment ${body.jobAppointmentId}`,
          ...options,
        },
        dispatchAppointmentSchema,
      );
    },
  };

  return { arrivalWindows, appointmentAssignments };
}
