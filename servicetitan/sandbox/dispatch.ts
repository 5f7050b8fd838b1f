import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRouter, found, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import { badRequest } from './errors.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, dateRangeFilter, sortItems } from './query.js';
import type { Appointment, AppointmentAssignment, ArrivalWindow, TenantData } from './state.js';
import { parseBody } from './validation.js';

// Dispatch: arrival-window templates and technician assignment to appointments.

/** .NET TimeSpan as ST writes it ("08:00", "08:00:00", "1.02:00:00"). */
const timeSpan = z
  .string()
  .regex(/^(\d+\.)?\d{1,2}:\d{2}(:\d{2})?$/, 'Expected a time span such as "08:00:00".');

const arrivalWindowSchema = z.object({
  start: timeSpan,
  duration: timeSpan,
  businessUnitIds: z.array(z.number().int()),
});

const activatedSchema = z.object({ isActive: z.boolean() });

const assignSchema = z.object({
  jobAppointmentId: z.number().int(),
  technicianIds: z.array(z.number().int()),
});

/** "8:00" → "08:00:00": responses always use the full form. */
function normaliseTimeSpan(value: string): string {
  const [days, rest] = value.includes('.') ? value.split('.') : [undefined, value];
  const [h = '0', m = '0', s = '0'] = (rest ?? value).split(':');
  const core = [h, m, s].map((part) => part.padStart(2, '0')).join(':');
  return days ? `${days}.${core}` : core;
}

function arrivalWindowResponse(w: ArrivalWindow) {
  return {
    id: w.id,
    start: w.start,
    duration: w.duration,
    businessUnitIds: [...w.businessUnitIds],
    active: w.active,
  };
}

function dispatchAppointmentResponse(a: Appointment) {
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
  };
}

function assignmentResponse(tenant: TenantData, a: AppointmentAssignment) {
  return {
    id: a.id,
    technicianId: a.technicianId,
    technicianName: tenant.technicians.get(a.technicianId)?.name ?? `Technician ${a.technicianId}`,
    assignedById: a.assignedById,
    assignedOn: a.assignedOn,
    status: a.status,
    isPaused: a.isPaused,
    jobId: a.jobId,
    appointmentId: a.appointmentId,
    createdOn: a.createdOn,
    modifiedOn: a.modifiedOn,
    active: a.active,
  };
}

function checkBusinessUnits(tenant: TenantData, ids: number[]): number[] {
  for (const id of ids) {
    if (!tenant.businessUnits.has(id))
      throw badRequest('businessUnitIds', `Business unit with id ${id} was not found.`);
  }
  return [...new Set(ids)];
}

export function registerDispatchRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const api = apiRouter(app, 'dispatch');

  api.get('/arrival-windows', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.arrivalWindows.values()].filter((w) => active(w.active) && inRange(w));
    return paginate(sortItems(matches, undefined, COMMON_SORT), paging, arrivalWindowResponse);
  });

  api.get('/arrival-windows/{id}', (req) =>
    arrivalWindowResponse(found(tenantOf(req).arrivalWindows, pathId(req), 'Arrival window')),
  );

  api.post('/arrival-windows', (req) => {
    const tenant = tenantOf(req);
    const body = parseBody(arrivalWindowSchema, req.body);
    const now = ctx.now();
    const window: ArrivalWindow = {
      id: ctx.nextId(),
      start: normaliseTimeSpan(body.start),
      duration: normaliseTimeSpan(body.duration),
      businessUnitIds: checkBusinessUnits(tenant, body.businessUnitIds),
      active: true,
      createdOn: now,
      modifiedOn: now,
    };
    tenant.arrivalWindows.set(window.id, window);
    return arrivalWindowResponse(window);
  });

  api.put('/arrival-windows/{id}', (req) => {
    const tenant = tenantOf(req);
    const window = found(tenant.arrivalWindows, pathId(req), 'Arrival window');
    const body = parseBody(arrivalWindowSchema, req.body);
    window.start = normaliseTimeSpan(body.start);
    window.duration = normaliseTimeSpan(body.duration);
    window.businessUnitIds = checkBusinessUnits(tenant, body.businessUnitIds);
    window.modifiedOn = ctx.now();
    return arrivalWindowResponse(window);
  });

  api.put('/arrival-windows/{id}/activated', (req, reply) => {
    const window = found(tenantOf(req).arrivalWindows, pathId(req), 'Arrival window');
    const body = parseBody(activatedSchema, req.body);
    window.active = body.isActive;
    window.modifiedOn = ctx.now();
    return reply.code(200).send();
  });

  // Additive, as observed on ST: technicians already on the appointment stay assigned.
  api.post('/appointment-assignments/assign-technicians', (req) => {
    const tenant = tenantOf(req);
    const body = parseBody(assignSchema, req.body);
    const appointment = tenant.appointments.get(body.jobAppointmentId);
    if (!appointment)
      throw badRequest('jobAppointmentId', `Appointment with id ${body.jobAppointmentId} was not found.`);
    for (const techId of body.technicianIds) {
      const tech = tenant.technicians.get(techId);
      if (!tech) throw badRequest('technicianIds', `Technician with id ${techId} was not found.`);
      if (!tech.active) throw badRequest('technicianIds', `Technician ${techId} (${tech.name}) is inactive.`);
    }
    const now = ctx.now();
    const assigned = new Set(
      [...tenant.assignments.values()]
        .filter((a) => a.active && a.appointmentId === appointment.id)
        .map((a) => a.technicianId),
    );
    for (const technicianId of new Set(body.technicianIds)) {
      if (assigned.has(technicianId)) continue;
      const assignment: AppointmentAssignment = {
        id: ctx.nextId(),
        technicianId,
        appointmentId: appointment.id,
        jobId: appointment.jobId,
        assignedById: 1,
        assignedOn: now,
        status: 'Scheduled',
        isPaused: false,
        active: true,
        createdOn: now,
        modifiedOn: now,
      };
      tenant.assignments.set(assignment.id, assignment);
    }
    appointment.modifiedOn = now;
    return dispatchAppointmentResponse(appointment);
  });

  api.get('/appointment-assignments', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const ids = q.ids('ids');
    const appointmentIds = q.ids('appointmentIds');
    const jobId = q.int('jobId');
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.assignments.values()].filter(
      (a) =>
        (!ids || ids.has(a.id)) &&
        (!appointmentIds || appointmentIds.has(a.appointmentId)) &&
        (jobId === undefined || a.jobId === jobId) &&
        active(a.active) &&
        inRange(a),
    );
    return paginate(sortItems(matches, q.string('sort'), COMMON_SORT), paging, (a) =>
      assignmentResponse(tenant, a),
    );
  });
}
