/**
 * The entity-specific rules of docs/autotask-api.md#contracts to #look-ups, applied after the generic checks of writes.ts.
 * Tickets: problemTicketId must point at a Problem (ticketType 3); assigning needs both assignedResourceID and
 * assignedResourceRoleID; completedDate follows status 5 (Complete). TimeEntries: a ticket, an active resource
 * that is not the API user, a roleID among the resource's (service-desk) roles, 0 < hoursWorked ≤ 24 and within
 * start/end; made by that resource itself unless the tenant allows Proxy Time Entry; within one day unless the
 * tenant allows spanning midnight (docs/autotask-samples.md, "TimeEntries"). Notes and time entries count as activity on their ticket (lastActivityDate).
 */
import { API_USER_LICENSE_TYPE } from './picklists.js';
import { TICKET_TYPE_PROBLEM, TICKET_STATUS_COMPLETE } from './system-values.js';
import type { SandboxEntity, SandboxRecord } from './types.js';
import type { TenantStore } from './store.js';

/** What a write sees: the tenant's data, the clock, and who writes. */
export interface WriteContext {
  store: TenantStore;
  now: Date;
  /** The resource the write is made as: the API user, or the ImpersonationResourceId. */
  actorResourceId: number;
}

type Candidate = Record<string, unknown> & { id: number };
const HOUR_MS = 3_600_000;

export function entityDefaults(entity: SandboxEntity): Record<string, unknown> {
  switch (entity) {
    case 'Tickets': return { ticketType: 1 };
    case 'Companies': case 'ConfigurationItems': return { isActive: true };
    case 'TimeEntries': return { isNonBillable: false };
    default: return {};
  }
}

function resourceProblem(ctx: WriteContext, resourceId: number): string | null {
  const resource = ctx.store.get('Resources', resourceId);
  if (!resource) return `Reference value on field: resourceID of type: Resource does not exist or is invalid.`;
  if (resource.isActive === false) return `Resource ${resourceId} is inactive.`;
  if (resourceId === ctx.store.apiUserResourceId || resource.licenseType === API_USER_LICENSE_TYPE) {
    return `Resource ${resourceId} is an API user and cannot be assigned or log time.`;
  }
  return null;
}

function resourceHasRole(ctx: WriteContext, resourceId: number, roleId: number): boolean {
  return ctx.store.all('ResourceRoles').some((rr) => rr.resourceID === resourceId && rr.roleID === roleId && rr.isActive !== false);
}

function touchTicket(ctx: WriteContext, ticketId: unknown): void {
  if (typeof ticketId !== 'number' || !ctx.store.get('Tickets', ticketId)) return;
  ctx.store.update('Tickets', ticketId, { lastActivityDate: ctx.now.toISOString(), lastActivityPersonType: 1,
    lastActivityResourceID: ctx.actorResourceId });
}

function ticketRules(ctx: WriteContext, t: Candidate, previous: SandboxRecord | null, touched: Set<string>, errors: string[]): void {
  const problemId = t.problemTicketId;
  if (problemId !== null && touched.has('problemTicketId')) {
    const problem = ctx.store.get('Tickets', problemId as number);
    if (problemId === t.id) errors.push('A ticket cannot be its own problem (problemTicketId).');
    else if (problem && problem.ticketType !== TICKET_TYPE_PROBLEM) {
      errors.push(`problemTicketId ${String(problemId)} is not a Problem ticket (ticketType ${TICKET_TYPE_PROBLEM}).`);
    }
  }
  if (problemId !== null && t.ticketType === TICKET_TYPE_PROBLEM) errors.push('A Problem ticket cannot be linked to another problem.');
  if (previous && previous.ticketType === TICKET_TYPE_PROBLEM && t.ticketType !== TICKET_TYPE_PROBLEM
    && ctx.store.all('Tickets').some((other) => other.problemTicketId === t.id)) {
    errors.push(`Ticket ${t.id} has incidents linked to it; it must stay a Problem.`);
  }
  const resourceId = t.assignedResourceID;
  const roleId = t.assignedResourceRoleID;
  if ((resourceId === null) !== (roleId === null)) {
    errors.push('assignedResourceID and assignedResourceRoleID must be set together.');
  } else if (resourceId !== null && (touched.has('assignedResourceID') || touched.has('assignedResourceRoleID'))) {
    const problem = resourceProblem(ctx, resourceId as number);
    if (problem) errors.push(problem.replace('field: resourceID', 'field: assignedResourceID'));
    else if (!resourceHasRole(ctx, resourceId as number, roleId as number)) {
      errors.push(`Resource ${String(resourceId)} does not have role ${String(roleId)} (assignedResourceRoleID).`);
    }
  }
  if (errors.length > 0) return;
  const now = ctx.now.toISOString();
  if (t.status === TICKET_STATUS_COMPLETE) t.completedDate = t.completedDate ?? (previous?.status === TICKET_STATUS_COMPLETE ? previous.completedDate : now) ?? now;
  else t.completedDate = null;
  t.lastActivityPersonType = 1;
  t.lastActivityResourceID = ctx.actorResourceId;
  if (!previous) {
    t.ticketNumber = ctx.store.newTicketNumber(now);
    t.creatorType = 1;
    t.creatorResourceID = ctx.actorResourceId;
  }
}

function timeEntryRules(ctx: WriteContext, e: Candidate, errors: string[]): void {
  if (e.taskID !== null) {
    errors.push('Reference value on field: taskID of type: Task does not exist or is invalid.');
    return;
  }
  if (e.ticketID === null) { errors.push('A time entry needs a ticketID (or a taskID).'); return; }
  const ticket = ctx.store.get('Tickets', e.ticketID as number);
  if (!ticket) return; // the generic reference check already reported it
  const problem = resourceProblem(ctx, e.resourceID as number);
  if (problem) errors.push(problem);
  // Autotask checks the role against the resource's own service-desk roles, not the ticket's assigned role.
  if (!problem && !resourceHasRole(ctx, e.resourceID as number, e.roleID as number)) {
    errors.push(`Resource ${String(e.resourceID)} does not have role ${String(e.roleID)}.`);
  }
  if (!problem && !ctx.store.settings.proxyTimeEntry && e.resourceID !== ctx.actorResourceId) {
    errors.push('The logged in Resource does not have the adequate permissions to create time entries for another resource (Proxy Time Entry).');
  }
  if (typeof e.summaryNotes !== 'string' || e.summaryNotes.trim() === '') errors.push('Missing required field: summaryNotes.');
  const start = typeof e.startDateTime === 'string' ? Date.parse(e.startDateTime) : null;
  const end = typeof e.endDateTime === 'string' ? Date.parse(e.endDateTime) : null;
  if ((start === null) !== (end === null)) { errors.push('startDateTime and endDateTime must be given together.'); return; }
  let span: number | null = null;
  if (start !== null && end !== null) {
    if (end <= start) { errors.push('endDateTime must be after startDateTime.'); return; }
    span = (end - start) / HOUR_MS;
    if (!ctx.store.settings.midnightSpan && new Date(start).toISOString().slice(0, 10) !== new Date(end - 1).toISOString().slice(0, 10)) {
      errors.push('Time entries cannot span over midnight.');
      return;
    }
  }
  if (e.hoursWorked === null) {
    if (span === null) { errors.push('hoursWorked is required when startDateTime and endDateTime are not given.'); return; }
    e.hoursWorked = Math.round(span * 10_000) / 10_000;
  }
  const hours = e.hoursWorked as number;
  if (!(hours > 0) || hours > 24) errors.push(`hoursWorked must be greater than 0 and at most 24; ${hours} was given.`);
  else if (span !== null && hours > span + 1e-9) {
    errors.push(`hoursWorked ${hours} exceeds the ${Math.round(span * 10_000) / 10_000} hours between startDateTime and endDateTime.`);
  }
  if (errors.length > 0) return;
  if (ctx.store.settings.truncateSeconds) {
    for (const field of ['startDateTime', 'endDateTime'] as const) {
      if (typeof e[field] === 'string') e[field] = new Date(Math.floor(Date.parse(e[field]) / 60_000) * 60_000).toISOString();
    }
  }
  e.hoursToBill = e.isNonBillable === true ? 0 : hours;
  if (e.creatorUserID === null) e.creatorUserID = ctx.actorResourceId;
  touchTicket(ctx, e.ticketID);
}

export function applyEntityRules(ctx: WriteContext, entity: SandboxEntity, candidate: Candidate,
  previous: SandboxRecord | null, touched: Set<string>, errors: string[]): void {
  switch (entity) {
    case 'Tickets': ticketRules(ctx, candidate, previous, touched, errors); break;
    case 'TimeEntries': timeEntryRules(ctx, candidate, errors); break;
    case 'TicketNotes':
      if (!previous) candidate.creatorResourceID = ctx.actorResourceId;
      touchTicket(ctx, candidate.ticketID);
      break;
    case 'Contracts':
      if (typeof candidate.startDate === 'string' && typeof candidate.endDate === 'string'
        && Date.parse(candidate.endDate) < Date.parse(candidate.startDate)) errors.push('endDate must not be before startDate.');
      break;
    default: break;
  }
}
