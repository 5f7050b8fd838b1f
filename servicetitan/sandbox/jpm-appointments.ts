import type { FastifyInstance } from 'fastify';
import { apiRouter, found, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, dateRangeFilter, sortItems } from './query.js';
import type { Appointment, AppointmentStatus } from './state.js';

// Appointments are created with their job (POST /jobs); these routes read them.

const STATUSES: readonly AppointmentStatus[] = [
  'Scheduled',
  'Dispatched',
  'Working',
  'Hold',
  'Done',
  'Canceled',
];

export function appointmentResponse(a: Appointment) {
  return {
    id: a.id,
    jobId: a.jobId,
    appointmentNumber: a.appointmentNumber,
    start: a.start,
    end: a.end,
    arrivalWindowStart: a.arrivalWindowStart,
    arrivalWindowEnd: a.arrivalWindowEnd,
    status: a.status,
    specialInstructions: a.specialInstructions,
    createdOn: a.createdOn,
    modifiedOn: a.modifiedOn,
    customerId: a.customerId,
    unused: a.unused,
    createdById: a.createdById,
    isConfirmed: a.isConfirmed,
    active: a.active,
  };
}

export function registerAppointmentRoutes(app: FastifyInstance, _ctx: SandboxContext): void {
  const api = apiRouter(app, 'jpm');

  api.get('/appointments', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const ids = q.ids('ids');
    const jobId = q.int('jobId');
    const customerId = q.int('customerId');
    const number = q.string('number');
    const status = q.enumValue('status', STATUSES);
    const technicianId = q.int('technicianId');
    const unused = q.bool('unused');
    const startsOnOrAfter = q.date('startsOnOrAfter');
    const startsBefore = q.date('startsBefore');
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const withTech =
      technicianId === undefined
        ? undefined
        : new Set(
            [...tenant.assignments.values()]
              .filter((a) => a.active && a.technicianId === technicianId)
              .map((a) => a.appointmentId),
          );
    const matches = [...tenant.appointments.values()].filter(
      (a) =>
        (!ids || ids.has(a.id)) &&
        (jobId === undefined || a.jobId === jobId) &&
        (customerId === undefined || a.customerId === customerId) &&
        (number === undefined || a.appointmentNumber === number) &&
        (status === undefined || a.status === status) &&
        (!withTech || withTech.has(a.id)) &&
        (unused === undefined || a.unused === unused) &&
        (startsOnOrAfter === undefined || Date.parse(a.start) >= startsOnOrAfter) &&
        (startsBefore === undefined || Date.parse(a.start) < startsBefore) &&
        active(a.active) &&
        inRange(a),
    );
    const sorted = sortItems(matches, q.string('sort'), { ...COMMON_SORT, Start: (a) => a.start });
    return paginate(sorted, paging, appointmentResponse);
  });

  api.get('/appointments/{id}', (req) =>
    appointmentResponse(found(tenantOf(req).appointments, pathId(req), 'Appointment')),
  );
}
