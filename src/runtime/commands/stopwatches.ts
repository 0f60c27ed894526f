/**
 * The stopwatch commands (the /api/stopwatches routes). State lives in the tenant's stopwatch store, so a worker
 * restart loses nothing. Start checks the ticket and resource in Autotask first (the rules say what may be
 * timed); stop enqueues `push-time-entries` with the stopwatch id as the entry key and returns at once.
 */
import type { Resource, Ticket } from '../../autotask/schemas/index.js';
import { stopwatchEntry, workedSeconds } from '../../rules/stopwatch.js';
import { checkNotesLength, checkStopwatchStart } from '../../rules/time-entry.js';
import type { StopwatchStoreResult, StoredStopwatch } from '../../store/stopwatch-store.js';
import { enqueueJob } from '../enqueue.js';
import { enqueueDepsOf, type CommandContext } from './context.js';

export interface StopwatchView {
  id: string;
  state: string;
  ticketId: number;
  resourceId: number;
  roleId: number | null;
  workedSeconds: number;
  startedAt: string;
  stoppedAt: string | null;
  timeEntryId: number | null;
  pushError: string | null;
  intervals: StoredStopwatch['intervals'];
}

/** Why a command refused: the route turns `kind` into a status (404, 409, 400, 422). */
export interface StopwatchRefused {
  ok: false;
  kind: 'not-found' | 'conflict' | 'invalid' | 'unprocessable';
  error: string;
  message: string;
  /** The running stopwatch a start collided with. */
  conflictId?: string;
}

export type StopwatchAnswer<Extra = object> = ({ ok: true; stopwatch: StopwatchView } & Extra) | StopwatchRefused;

export interface StartStopwatchRequest {
  tenant?: string | undefined;
  ticketId: number;
  resourceId: number;
  roleId?: number | null | undefined;
  summaryNotes?: string | undefined;
  internalNotes?: string | undefined;
}

export interface StopwatchCommands {
  startStopwatch(request: StartStopwatchRequest): Promise<StopwatchAnswer>;
  pauseStopwatch(tenant: string | undefined, id: string): Promise<StopwatchAnswer>;
  resumeStopwatch(tenant: string | undefined, id: string): Promise<StopwatchAnswer>;
  /** `jobId`: the push-time-entries job that makes the time entry (null when there is nothing to push). */
  stopStopwatch(tenant: string | undefined, id: string, notes: { summaryNotes?: string; internalNotes?: string }): Promise<StopwatchAnswer<{ jobId: string | null }>>;
  getStopwatch(tenant: string | undefined, id: string): Promise<StopwatchAnswer>;
  /** Stopwatches in one state (`refused` = stopped, not pushed, with a push error), newest first, optionally per resource/ticket. */
  listStopwatches(request: StopwatchListRequest): Promise<StopwatchView[]>;
  /** Set the role, trim the notes of a stopped, unpushed stopwatch (422 naming the field for notes Autotask would refuse). */
  correctStopwatch(tenant: string | undefined, id: string, patch: StopwatchCorrection): Promise<StopwatchAnswer>;
  /** Push a stopped, unpushed stopwatch again (after a correction, or after the ticket was fixed in Autotask). */
  retryStopwatch(tenant: string | undefined, id: string): Promise<StopwatchAnswer<{ jobId: string | null }>>;
}

export const STOPWATCH_STATES = ['running', 'paused', 'stopped', 'unpushed', 'refused', 'pushed'] as const;
export interface StopwatchListRequest {
  tenant?: string | undefined;
  state?: (typeof STOPWATCH_STATES)[number] | undefined;
  resourceId?: number | undefined;
  ticketId?: number | undefined;
  limit?: number | undefined;
}
export interface StopwatchCorrection { roleId?: number | null; summaryNotes?: string | null; internalNotes?: string | null }

function inState(sw: StoredStopwatch, state: StopwatchListRequest['state']): boolean {
  switch (state) {
    case undefined: return true;
    case 'unpushed': return sw.state === 'stopped' && sw.timeEntryId === null && sw.pushError === null;
    case 'refused': return sw.state === 'stopped' && sw.timeEntryId === null && sw.pushError !== null;
    case 'pushed': return sw.timeEntryId !== null;
    default: return sw.state === state;
  }
}

function kindOf(code: string): StopwatchRefused['kind'] {
  return code === 'NOT_FOUND' ? 'not-found' : code === 'INVALID_INPUT' ? 'invalid' : 'conflict';
}

function refusedByStore(result: { code: string; reason: string }): StopwatchRefused {
  return { ok: false, kind: kindOf(result.code), error: `STOPWATCH_${result.code}`, message: result.reason };
}

function ticketFacts(ticket: Ticket | null) {
  return ticket && { id: ticket.id, ticketNumber: ticket.ticketNumber, title: ticket.title, status: ticket.status,
    assignedResourceID: ticket.assignedResourceID, assignedResourceRoleID: ticket.assignedResourceRoleID };
}

function resourceFacts(resource: Resource | null) {
  return resource && { id: resource.id, isActive: resource.isActive };
}

export function createStopwatchCommands(ctx: CommandContext): StopwatchCommands {
  const { services } = ctx;
  const scopeOf = (tenant: string | undefined) => services.tenants.get(services.tenants.resolve(tenant));
  const view = (sw: StoredStopwatch): StopwatchView => ({
    id: sw.id, state: sw.state, ticketId: sw.ticketId, resourceId: sw.resourceId, roleId: sw.roleId,
    workedSeconds: workedSeconds(sw, services.now()), startedAt: sw.startedAt, stoppedAt: sw.stoppedAt,
    timeEntryId: sw.timeEntryId, pushError: sw.pushError, intervals: sw.intervals,
  });
  const answer = (result: StopwatchStoreResult): StopwatchAnswer => (result.ok ? { ok: true, stopwatch: view(result.stopwatch) } : refusedByStore(result));

  return {
    async startStopwatch(request) {
      const { client, stopwatches } = scopeOf(request.tenant);
      const [ticket, resource] = await Promise.all([client.get('Tickets', request.ticketId), client.get('Resources', request.resourceId)]);
      const check = checkStopwatchStart({ ticketId: request.ticketId, resourceId: request.resourceId, ticket: ticketFacts(ticket),
        resource: resourceFacts(resource), allowCompletedTickets: services.config.timeEntries.allowCompletedTickets,
        roleId: request.roleId ?? null, defaultRoles: services.config.timeEntries.defaultRoles,
        summaryNotes: request.summaryNotes ?? null, internalNotes: request.internalNotes ?? null });
      if (!check.ok) {
        return { ok: false, kind: check.code.endsWith('NOT_FOUND') ? 'not-found' : 'unprocessable', error: check.code,
          message: `${check.field}: ${check.reason}` };
      }
      const result = await stopwatches.start({ ticketId: request.ticketId, resourceId: request.resourceId,
        roleId: request.roleId ?? null, summaryNotes: request.summaryNotes ?? null, internalNotes: request.internalNotes ?? null }, services.now());
      if (!result.ok) {
        return { ...refusedByStore(result), ...(result.code === 'CONFLICT' ? { conflictId: result.conflict } : {}) };
      }
      return { ok: true, stopwatch: view(result.stopwatch) };
    },
    pauseStopwatch: async (tenant, id) => answer(await scopeOf(tenant).stopwatches.pause(id, services.now())),
    resumeStopwatch: async (tenant, id) => answer(await scopeOf(tenant).stopwatches.resume(id, services.now())),
    async stopStopwatch(tenant, id, notes) {
      const tooLong = checkNotesLength(notes);
      if (tooLong) return { ok: false, kind: 'unprocessable', error: tooLong.code, message: `${tooLong.field}: ${tooLong.reason}` };
      const scope = scopeOf(tenant);
      const result = await scope.stopwatches.stop(id, notes, services.now());
      if (!result.ok) return refusedByStore(result);
      const entry = stopwatchEntry(result.stopwatch);
      // The stopwatch is already stopped and listed as unpushed, so a lost enqueue is swept up by the next
      // push-time-entries run; the answer does not wait for Autotask.
      const job = entry ? await enqueueJob(enqueueDepsOf(ctx), { name: 'push-time-entries', tenant: scope.tenant.id, data: { entries: [entry] } }) : null;
      return { ok: true, stopwatch: view(result.stopwatch), jobId: job?.jobId ?? null };
    },
    async listStopwatches(request) {
      const { stopwatches } = scopeOf(request.tenant);
      const limit = request.limit ?? 100;
      const found: StopwatchView[] = [];
      // Pages through the index (newest first) until `limit` match: a filter never hides what is further back.
      for (let offset = 0; found.length < limit; offset += 500) {
        const page = await stopwatches.list({ limit: 500, offset });
        for (const sw of page) {
          if (!inState(sw, request.state)) continue;
          if (request.resourceId !== undefined && sw.resourceId !== request.resourceId) continue;
          if (request.ticketId !== undefined && sw.ticketId !== request.ticketId) continue;
          found.push(view(sw));
          if (found.length >= limit) break;
        }
        if (page.length < 500) break;
      }
      return found;
    },
    async correctStopwatch(tenant, id, patch) {
      const tooLong = checkNotesLength(patch);
      if (tooLong) return { ok: false, kind: 'unprocessable', error: tooLong.code, message: `${tooLong.field}: ${tooLong.reason}` };
      return answer(await scopeOf(tenant).stopwatches.correct(id, patch));
    },
    async retryStopwatch(tenant, id) {
      const scope = scopeOf(tenant);
      // Clears the refusal (the person says: try again) without changing content.
      const result = await scope.stopwatches.correct(id, {});
      if (!result.ok) return refusedByStore(result);
      const entry = stopwatchEntry(result.stopwatch);
      const job = entry ? await enqueueJob(enqueueDepsOf(ctx), { name: 'push-time-entries', tenant: scope.tenant.id, data: { entries: [entry] } }) : null;
      return { ok: true, stopwatch: view(result.stopwatch), jobId: job?.jobId ?? null };
    },
    async getStopwatch(tenant, id) {
      const sw = await scopeOf(tenant).stopwatches.get(id);
      if (!sw) return { ok: false, kind: 'not-found', error: 'STOPWATCH_NOT_FOUND', message: `no stopwatch ${id}` };
      return { ok: true, stopwatch: view(sw) };
    },
  };
}
