/**
 * The problem-suggestion commands (GET /api/problem-suggestions, POST …/{id}/approve and …/{id}/reject): the
 * groups detect-problems did not link itself wait here for a person (docs/problem-detection.md). Approving marks
 * the suggestion and enqueues detect-problems, which writes every approved suggestion through its exactly-once
 * path; rejecting is remembered. Both are idempotent.
 */
import { SuggestionConflictError, SuggestionNotFoundError, type ProblemSuggestion, type SuggestionStatus } from '../../store/problem-suggestions.js';
import { enqueueJob } from '../enqueue.js';
import { enqueueDepsOf, type CommandContext } from './context.js';

export interface SuggestionView {
  id: string;
  status: SuggestionStatus;
  groupKey: string;
  problemTicketId: number | null;
  ticketIds: number[];
  newLinks: number[];
  title: string;
  reason: string;
  confidence: number;
  confidenceReason: string;
  proposedAt: string;
  decidedAt: string | null;
  outcome: ProblemSuggestion['outcome'];
}

export type SuggestionAnswer = { ok: true; suggestion: SuggestionView; jobId?: string }
  | { ok: false; kind: 'not-found' | 'conflict'; error: string; message: string };

export interface ProblemSuggestionCommands {
  listProblemSuggestions(request: { tenant?: string | undefined; status?: SuggestionStatus | undefined }):
  Promise<{ tenant: string; count: number; suggestions: SuggestionView[] }>;
  approveProblemSuggestion(request: { tenant?: string | undefined; id: string }): Promise<SuggestionAnswer>;
  rejectProblemSuggestion(request: { tenant?: string | undefined; id: string }): Promise<SuggestionAnswer>;
}

function view(s: ProblemSuggestion): SuggestionView {
  return { id: s.id, status: s.status, groupKey: s.groupKey, problemTicketId: s.group.problemTicketId, ticketIds: s.group.ticketIds,
    newLinks: s.group.newLinks, title: s.group.title, reason: s.group.reason, confidence: s.group.confidence,
    confidenceReason: s.group.confidenceReason, proposedAt: s.proposedAt, decidedAt: s.decidedAt, outcome: s.outcome };
}

function refused(error: unknown): SuggestionAnswer {
  if (error instanceof SuggestionNotFoundError) return { ok: false, kind: 'not-found', error: error.code, message: error.message };
  if (error instanceof SuggestionConflictError) return { ok: false, kind: 'conflict', error: error.code, message: error.message };
  throw error;
}

export function createProblemSuggestionCommands(ctx: CommandContext): ProblemSuggestionCommands {
  const storeOf = (tenant: string | undefined) => {
    const scope = ctx.services.tenants.get(ctx.services.tenants.resolve(tenant));
    return { tenant: scope.tenant.id, store: scope.problemSuggestions };
  };
  return {
    async listProblemSuggestions({ tenant, status }) {
      const { tenant: id, store } = storeOf(tenant);
      const suggestions = (await store.list(status)).map(view);
      return { tenant: id, count: suggestions.length, suggestions };
    },
    async approveProblemSuggestion({ tenant, id }) {
      const { tenant: tenantId, store } = storeOf(tenant);
      let suggestion: ProblemSuggestion;
      try { suggestion = await store.approve(id); } catch (error) { return refused(error); }
      // Already linked: nothing to run. Otherwise (also on a repeated approve) the run is enqueued; the queue
      // de-duplicates an equal waiting job, and the write path links each ticket once however often it runs.
      if (suggestion.status === 'linked') return { ok: true, suggestion: view(suggestion) };
      const job = await enqueueJob(enqueueDepsOf(ctx), { name: 'detect-problems', tenant: tenantId, data: { suggestionId: id } });
      return { ok: true, suggestion: view(suggestion), jobId: job.jobId };
    },
    async rejectProblemSuggestion({ tenant, id }) {
      const { store } = storeOf(tenant);
      try { return { ok: true, suggestion: view(await store.reject(id)) }; } catch (error) { return refused(error); }
    },
  };
}
