/**
 * Plans one Autotask time entry from a `push-time-entries` entry (issue 8): which role, how many hours, which
 * span, which notes — or a refusal with a reason an operator can act on. Pure: the job fetches the ticket and the
 * resource, calls planTimeEntry, and only then talks to Autotask.
 *
 * Facts relied on (docs/autotask-api.md#time-entries, #tickets):
 * - a ticket entry needs ticketID, resourceID, roleID, dateWorked, 0 < hoursWorked ≤ 24 and summaryNotes;
 * - roleID must equal the ticket's assignedResourceRoleID unless the tenant allows otherwise;
 * - the resource must be real and active; status 5 is Complete;
 * - date-only fields (dateWorked) are stored at midnight, all date-times are UTC;
 * - nothing prevents duplicates, hence timeEntryMatches / timeEntryLookup for the look-before-create.
 *
 * Span policy: when the billed hours (after rounding or a minimum) are longer than the span between the start
 * and end sent, 'adjust' moves endDateTime later so the span holds exactly the billed hours (and says so in
 * `reasons`); 'refuse' refuses the entry with SPAN_TOO_SHORT. The start is never moved: it is the instant the
 * look-before-create searches on.
 */
import { parseUtc } from '../lib/time.js';
import { TICKET_STATUS_COMPLETE } from './detection-types.js';
import { billedSeconds, describeSeconds, floorHours, MAX_HOURS, MAX_SECONDS, roundHours } from './time-entry-hours.js';
import type { RoundingPolicy } from './time-entry-hours.js';
import { NOTES_MAX, type TimeEntryInput } from './time-entry-input.js';

export type { TimeEntryInput } from './time-entry-input.js';

/** Autotask ticket status "Complete", a system value. */
export { TICKET_STATUS_COMPLETE };

export interface TicketFacts {
  id: number;
  ticketNumber: string | null;
  title: string;
  status: number | null;
  assignedResourceID: number | null;
  assignedResourceRoleID: number | null;
}

export interface ResourceFacts {
  id: number;
  isActive: boolean;
  /** The resource's default service-desk role (docs/autotask-samples.md, "Resources"); null or absent = none. */
  defaultServiceDeskRoleID?: number | null;
}

/** Structurally the `timeEntries` section of SYNC_CONFIG (config/sections/time-entries.ts). */
export interface TimeEntryPolicy {
  rounding: RoundingPolicy;
  spanPolicy: 'adjust' | 'refuse';
  /** resourceID (as a string key) → roleID. */
  defaultRoles: Record<string, number>;
  /** Placeholders {ticketNumber} {ticketTitle} {minutes}. */
  summaryTemplate: string;
  allowCompletedTickets: boolean;
  /** Accept a start more than FUTURE_START_TOLERANCE_MS after `now` (booking ahead); off: FUTURE_START. */
  allowFutureStart: boolean;
  /** 'refuse' entries that cross midnight in `timeZone` (the tenant's "span over midnight" setting is off), or 'allow'. */
  midnight: 'refuse' | 'allow';
  timeZone: string;
}

/** The body of `POST /V1.0/TimeEntries` for a ticket entry. */
export interface TimeEntryCreateBody {
  ticketID: number;
  resourceID: number;
  roleID: number;
  dateWorked: string;
  startDateTime: string;
  endDateTime: string;
  hoursWorked: number;
  summaryNotes: string;
  internalNotes?: string;
}

export type TimeEntryRefusalCode =
  | 'TICKET_NOT_FOUND' | 'TICKET_MISMATCH' | 'TICKET_COMPLETE' | 'RESOURCE_NOT_FOUND' | 'RESOURCE_INACTIVE'
  | 'INVALID_DATE' | 'END_BEFORE_START' | 'ZERO_DURATION' | 'TOO_LONG' | 'SPAN_TOO_SHORT' | 'ROLE_MISSING' | 'NOTES_TOO_LONG' | 'SPANS_MIDNIGHT'
  | 'FUTURE_START';

export interface TimeEntryRefusal {
  ok: false;
  code: TimeEntryRefusalCode;
  reason: string;
}

export type TimeEntryPlan = { ok: true; body: TimeEntryCreateBody; reasons: string[] } | TimeEntryRefusal;

export interface PlanTimeEntryInput {
  entry: TimeEntryInput;
  ticket: TicketFacts | null;
  resource: ResourceFacts | null;
  policy: TimeEntryPolicy;
  /** The push's clock; without it the future-start check is off (pure callers that only shape a body). */
  now?: Date;
}

/** A start this far ahead of our clock is still accepted: clocks of the machines that start stopwatches drift. */
export const FUTURE_START_TOLERANCE_MS = 5 * 60_000;

function refuse(code: TimeEntryRefusalCode, reason: string): TimeEntryRefusal {
  return { ok: false, code, reason };
}

/** The checks shared by a stopwatch start and a push: the ticket exists and is open, the resource is active. */
function checkTicketAndResource(ticketId: number, resourceId: number, ticket: TicketFacts | null,
  resource: ResourceFacts | null, allowCompletedTickets: boolean): TimeEntryRefusal | null {
  if (ticket === null) return refuse('TICKET_NOT_FOUND', `ticket ${ticketId} does not exist in Autotask`);
  if (ticket.id !== ticketId) return refuse('TICKET_MISMATCH', `ticket ${ticket.id} was looked up for ticket ${ticketId}`);
  if (ticket.status === TICKET_STATUS_COMPLETE && !allowCompletedTickets) {
    return refuse('TICKET_COMPLETE', `ticket ${ticket.ticketNumber ?? ticketId} is complete (status 5); ` +
      'set timeEntries.allowCompletedTickets to book time on completed tickets');
  }
  if (resource === null) return refuse('RESOURCE_NOT_FOUND', `resource ${resourceId} does not exist in Autotask`);
  if (!resource.isActive) return refuse('RESOURCE_INACTIVE', `resource ${resourceId} is inactive; Autotask only books time for active resources`);
  return null;
}

export type StopwatchStartCheck =
  | { ok: true }
  | (TimeEntryRefusal & { field: 'ticketId' | 'resourceId' | 'roleId' | 'summaryNotes' | 'internalNotes' });

/**
 * Notes longer than Autotask's field length are refused at create. Autotask (.NET, SQL Server nvarchar) counts
 * UTF-16 code units, as JavaScript's `length` does — not characters: an emoji counts 2 (docs/time-entries.md).
 */
export function checkNotesLength(notes: { summaryNotes?: string | null; internalNotes?: string | null }):
  (TimeEntryRefusal & { field: 'summaryNotes' | 'internalNotes' }) | null {
  for (const field of ['summaryNotes', 'internalNotes'] as const) {
    const length = notes[field]?.length ?? 0;
    if (length > NOTES_MAX) {
      return { ...refuse('NOTES_TOO_LONG', `${length} UTF-16 code units; Autotask accepts at most ${NOTES_MAX} (an emoji counts 2)`), field };
    }
  }
  return null;
}

/**
 * Used by `POST /api/stopwatches` before a stopwatch starts, so a bad ticket, a role the push cannot resolve or
 * notes Autotask would refuse fail now (naming the field) rather than at push, after the work was done.
 */
export function checkStopwatchStart(input: { ticketId: number; resourceId: number; ticket: TicketFacts | null;
  resource: ResourceFacts | null; allowCompletedTickets: boolean; roleId?: number | null; defaultRoles?: Record<string, number>;
  summaryNotes?: string | null; internalNotes?: string | null }): StopwatchStartCheck {
  const refusal = checkTicketAndResource(input.ticketId, input.resourceId, input.ticket, input.resource,
    input.allowCompletedTickets);
  if (refusal !== null) return { ...refusal, field: refusal.code.startsWith('RESOURCE') ? 'resourceId' : 'ticketId' };
  const notes = checkNotesLength(input);
  if (notes !== null) return notes;
  if (input.defaultRoles !== undefined && input.ticket !== null) {
    const role = resolveRole({ roleId: input.roleId ?? null, resourceId: input.resourceId, ticketId: input.ticketId }, input.ticket, input.defaultRoles);
    if (!role.ok) return { ...role, field: 'roleId' };
  }
  return { ok: true };
}

export type RoleResolution = { ok: true; roleId: number; reason: string } | TimeEntryRefusal;

/**
 * Role: the given roleId; else the ticket's assignedResourceRoleID when the resource is the ticket's assigned
 * resource; else the resource's own defaultServiceDeskRoleID (real Resources carry it, docs/autotask-samples.md);
 * else the configured timeEntries.defaultRoles entry of the resource; else refuse.
 */
export function resolveRole(entry: Pick<TimeEntryInput, 'roleId' | 'resourceId' | 'ticketId'>, ticket: TicketFacts,
  defaultRoles: Record<string, number>, resource: ResourceFacts | null = null): RoleResolution {
  if (entry.roleId !== null) return { ok: true, roleId: entry.roleId, reason: `role ${entry.roleId} as given` };
  if (ticket.assignedResourceID === entry.resourceId && ticket.assignedResourceRoleID !== null) {
    return { ok: true, roleId: ticket.assignedResourceRoleID,
      reason: `role ${ticket.assignedResourceRoleID}: the ticket's assigned role (resource ${entry.resourceId} is the assigned resource)` };
  }
  const own = resource !== null && resource.id === entry.resourceId ? resource.defaultServiceDeskRoleID ?? null : null;
  if (own !== null) {
    return { ok: true, roleId: own, reason: `role ${own}: the defaultServiceDeskRoleID of resource ${entry.resourceId}` };
  }
  const fallback = Object.hasOwn(defaultRoles, String(entry.resourceId)) ? defaultRoles[String(entry.resourceId)] : undefined;
  if (fallback !== undefined) {
    return { ok: true, roleId: fallback, reason: `role ${fallback}: timeEntries.defaultRoles for resource ${entry.resourceId}` };
  }
  const assigned = ticket.assignedResourceID === null ? 'the ticket has no assigned resource'
    : `the ticket is assigned to resource ${ticket.assignedResourceID}`;
  return refuse('ROLE_MISSING', `no role for resource ${entry.resourceId} on ticket ${entry.ticketId}: no roleId was given, ` +
    `${assigned}, the resource has no defaultServiceDeskRoleID, and timeEntries.defaultRoles has no role for resource ${entry.resourceId}`);
}

/** Fills {ticketNumber} {ticketTitle} {minutes}; unknown placeholders stay as written. */
export function fillSummaryTemplate(template: string, ticket: TicketFacts, minutes: number): string {
  const values: Record<string, string> = {
    ticketNumber: ticket.ticketNumber ?? `#${ticket.id}`,
    ticketTitle: ticket.title,
    minutes: String(minutes),
  };
  return template.replace(/\{(ticketNumber|ticketTitle|minutes)\}/g, (_match, name: string) => values[name] ?? '');
}

function parseInstant(value: string): Date | null {
  try {
    return parseUtc(value);
  } catch {
    return null;
  }
}

export function planTimeEntry(input: PlanTimeEntryInput): TimeEntryPlan {
  const { entry, ticket, resource, policy } = input;
  const blocked = checkTicketAndResource(entry.ticketId, entry.resourceId, ticket, resource, policy.allowCompletedTickets);
  if (blocked !== null || ticket === null) return blocked ?? refuse('TICKET_NOT_FOUND', `ticket ${entry.ticketId} does not exist`);
  const reasons: string[] = [];

  const start = parseInstant(entry.startDateTime);
  const end = parseInstant(entry.endDateTime);
  if (start === null) return refuse('INVALID_DATE', `startDateTime is not a date-time: ${JSON.stringify(entry.startDateTime)}`);
  if (end === null) return refuse('INVALID_DATE', `endDateTime is not a date-time: ${JSON.stringify(entry.endDateTime)}`);
  // Work that has not happened yet is almost always a wrong date (issue 14 item 9); a tenant that books ahead says so.
  if (input.now !== undefined && !policy.allowFutureStart && start.getTime() > input.now.getTime() + FUTURE_START_TOLERANCE_MS) {
    return refuse('FUTURE_START', `startDateTime ${start.toISOString()} is in the future (now ${input.now.toISOString()}); ` +
      'set timeEntries.allowFutureStart to book work ahead');
  }
  const spanMs = end.getTime() - start.getTime();
  if (spanMs < 0) {
    return refuse('END_BEFORE_START', `endDateTime ${end.toISOString()} is before startDateTime ${start.toISOString()}`);
  }

  const fromInterval = entry.workedSeconds === null;
  const worked = fromInterval ? spanMs / 1000 : entry.workedSeconds ?? 0;
  const source = fromInterval ? 'the interval from start to end' : 'workedSeconds';
  if (!Number.isFinite(worked) || worked <= 0) {
    return refuse('ZERO_DURATION', `no time worked: ${source} is ${Number.isFinite(worked) ? worked : 'not a number'} seconds; ` +
      'Autotask needs hoursWorked > 0');
  }
  if (worked > MAX_SECONDS) {
    return refuse('TOO_LONG', `${source} is ${describeSeconds(worked)} (${(worked / 3600).toFixed(2)} h); ` +
      `one Autotask time entry holds at most ${MAX_HOURS} hours`);
  }

  let billed = billedSeconds(worked, policy.rounding);
  if (billed > MAX_SECONDS) {
    reasons.push(`rounding gave ${describeSeconds(billed)}, capped at ${MAX_HOURS} hours`);
    billed = MAX_SECONDS;
  }
  if (billed !== worked) {
    reasons.push(`billed ${describeSeconds(billed)} for ${describeSeconds(worked)} worked ` +
      `(rounding ${policy.rounding.mode}/${policy.rounding.minutes} min, minimum ${policy.rounding.minimumMinutes} min)`);
  }
  let hours = roundHours(billed);
  let endSent = end;
  if (hours * 3_600_000 > spanMs) {
    if (billed * 1000 <= spanMs) {
      // Only the 4-decimal rounding overshoots the span (e.g. 60 s = 0.016666… h → 0.0167 h): round down instead.
      hours = floorHours(billed);
    } else if (policy.spanPolicy === 'adjust') {
      endSent = new Date(start.getTime() + Math.ceil(hours * 3_600_000));
      reasons.push(`endDateTime moved from ${end.toISOString()} to ${endSent.toISOString()} so the span holds the ` +
        `${hours} billed hours (timeEntries.spanPolicy adjust)`);
    } else {
      return refuse('SPAN_TOO_SHORT', `${hours} billed hours do not fit between ${start.toISOString()} and ` +
        `${end.toISOString()} (${describeSeconds(spanMs / 1000)}); timeEntries.spanPolicy is refuse`);
    }
  }
  if (hours <= 0) {
    return refuse('ZERO_DURATION', `${describeSeconds(worked)} is less than 0.0001 hours, the smallest amount Autotask stores`);
  }

  const midnight = crossesMidnight(start, endSent, policy.timeZone);
  if (midnight !== null) {
    if (policy.midnight === 'refuse') {
      return refuse('SPANS_MIDNIGHT', `the entry runs from ${midnight.from} to ${midnight.to} (${policy.timeZone}), across midnight; ` +
        'Autotask refuses such entries unless the tenant setting "Allow time entries to span over midnight" is on. ' +
        'Book it as two entries, or turn the setting on and set timeEntries.midnight to "allow"');
    }
    reasons.push(`crosses midnight (${policy.timeZone}); sent as one entry (timeEntries.midnight allow)`);
  }

  const role = resolveRole(entry, ticket, policy.defaultRoles, resource);
  if (!role.ok) return role;
  reasons.push(role.reason);

  let summaryNotes = entry.summaryNotes.trim();
  if (summaryNotes === '') {
    summaryNotes = fillSummaryTemplate(policy.summaryTemplate, ticket, Math.round(hours * 60)).trim();
    reasons.push('summaryNotes filled from timeEntries.summaryTemplate');
    if (summaryNotes === '') summaryNotes = `Work on ticket ${ticket.ticketNumber ?? ticket.id}`;
  }

  const body: TimeEntryCreateBody = {
    ticketID: entry.ticketId,
    resourceID: entry.resourceId,
    roleID: role.roleId,
    // The day the work happened where the tenant is (20:00 EDT is that day, not the next UTC one); Autotask stores
    // date-only fields at midnight (docs/time-entries.md#dateworked).
    dateWorked: `${localDay(start, policy.timeZone)}T00:00:00.000Z`,
    startDateTime: start.toISOString(),
    endDateTime: endSent.toISOString(),
    hoursWorked: hours,
    summaryNotes,
  };
  if (entry.internalNotes !== null && entry.internalNotes.trim() !== '') body.internalNotes = entry.internalNotes;
  return { ok: true, body, reasons };
}

/** The local calendar day of an instant in a time zone, `YYYY-MM-DD`. */
function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** When start and end fall on different local days (an end exactly at midnight stays in its day), the two instants. */
function crossesMidnight(start: Date, end: Date, timeZone: string): { from: string; to: string } | null {
  const lastInstant = new Date(Math.max(start.getTime(), end.getTime() - 1));
  if (localDay(start, timeZone) === localDay(lastInstant, timeZone)) return null;
  return { from: start.toISOString(), to: end.toISOString() };
}

const MINUTE_MS = 60_000;
/** Hours are stored with 4 decimals (docs/autotask-api.md#time-entries); two amounts closer than half of that are one. */
const HOURS_EPSILON = 0.00005;

/**
 * `sent` as Autotask may have stored it: the same instant, or the same one with its seconds (and milliseconds)
 * dropped — real entries carry minute-aligned times (docs/autotask-samples.md, "TimeEntries"). So the stored value
 * lies in [start of sent's minute, end of sent's second); a later one, or one from an earlier minute, is not it.
 */
function storedAs(stored: string | null | undefined, sent: string): boolean | null {
  if (stored === null || stored === undefined) return null;
  const a = parseInstant(stored);
  const b = parseInstant(sent);
  if (a === null || b === null) return false;
  const from = Math.floor(b.getTime() / MINUTE_MS) * MINUTE_MS;
  const before = Math.floor(b.getTime() / 1000) * 1000 + 1000;
  return a.getTime() >= from && a.getTime() < before;
}

/**
 * The look-before-create test: an existing Autotask entry is "the one this body would create" when it has the same
 * ticket and resource, its start is ours as stored (to the second, or truncated to the minute), and — so that two
 * real entries started within one minute are not taken for each other — its end is ours as stored and its hours
 * are ours, whenever the existing entry carries them.
 */
export function timeEntryMatches(
  existing: { ticketID: number | null; resourceID: number; startDateTime: string | null; endDateTime?: string | null; hoursWorked?: number | null },
  body: Pick<TimeEntryCreateBody, 'ticketID' | 'resourceID' | 'startDateTime'> & Partial<Pick<TimeEntryCreateBody, 'endDateTime' | 'hoursWorked'>>,
): boolean {
  if (existing.ticketID !== body.ticketID || existing.resourceID !== body.resourceID) return false;
  if (storedAs(existing.startDateTime, body.startDateTime) !== true) return false;
  if (body.endDateTime !== undefined && storedAs(existing.endDateTime, body.endDateTime) === false) return false;
  if (body.hoursWorked !== undefined && existing.hoursWorked !== null && existing.hoursWorked !== undefined
    && Math.abs(existing.hoursWorked - body.hoursWorked) > HOURS_EPSILON) return false;
  return true;
}

/** Notes as compared: Autotask drops NUL characters and may turn line endings into \n; outer spaces carry no work. */
function comparableNotes(notes: string | null | undefined): string {
  return (notes ?? '').replaceAll('\u0000', '').replace(/\r\n?/g, '\n').trim();
}

/**
 * Whether an entry that starts in the same second (timeEntryMatches) is the same piece of work (issue 14 item 8):
 * same hours (to the 0.01 h Autotask shows), same role and same summary notes. Two pieces of work can start in
 * the same second (a second import, an entry a person typed); only the fingerprint tells them apart.
 */
export function sameWork(existing: { hoursWorked?: number | null; roleID?: number | null; summaryNotes?: string | null },
  body: Pick<TimeEntryCreateBody, 'hoursWorked' | 'roleID' | 'summaryNotes'>): { same: boolean; differences: string[] } {
  const differences: string[] = [];
  if (existing.hoursWorked === null || existing.hoursWorked === undefined || Math.abs(existing.hoursWorked - body.hoursWorked) >= 0.005) {
    differences.push(`hoursWorked ${existing.hoursWorked ?? 'none'} ≠ ${body.hoursWorked}`);
  }
  if ((existing.roleID ?? null) !== body.roleID) differences.push(`roleID ${existing.roleID ?? 'none'} ≠ ${body.roleID}`);
  if (comparableNotes(existing.summaryNotes) !== comparableNotes(body.summaryNotes)) differences.push('summaryNotes differ');
  return { same: differences.length === 0, differences };
}

/**
 * What the look-before-create query asks Autotask for: ticketID eq, resourceID eq and
 * `startFrom ≤ startDateTime < startBefore`: from the start of the start's minute (a truncated copy) to the end of
 * its second. Filter the answer with timeEntryMatches.
 */
export function timeEntryLookup(body: Pick<TimeEntryCreateBody, 'ticketID' | 'resourceID' | 'startDateTime'>):
  { ticketID: number; resourceID: number; startFrom: string; startBefore: string } {
  const at = parseUtc(body.startDateTime).getTime();
  return { ticketID: body.ticketID, resourceID: body.resourceID,
    startFrom: new Date(Math.floor(at / MINUTE_MS) * MINUTE_MS).toISOString(),
    startBefore: new Date(Math.floor(at / 1000) * 1000 + 1000).toISOString() };
}
