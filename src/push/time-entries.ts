/**
 * Pushes time entries exactly once (issue 8). The ledger's header comment (src/store/time-entry-ledger.ts) gives
 * the protocol: ledger check → look in Autotask for the entry a lost create would have made → create → record.
 * Each entry succeeds or fails alone; one bad entry never stops the batch.
 */
import type { AppConfig } from '../../config/schema.js';
import { CreateOutcomeUnknownError } from '../autotask/errors.js';
import type { Resource, Ticket } from '../autotask/schemas/index.js';
import type { AutotaskClient } from '../autotask/types.js';
import { AppError, errorMessage, RetryLaterError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { entryFingerprint, type TimeEntryInput } from '../rules/time-entry-input.js';
import { planTimeEntry, sameWork, timeEntryLookup, timeEntryMatches, type TimeEntryCreateBody } from '../rules/time-entry.js';
import { decideCreate } from '../rules/unknown-outcome.js';
import type { StopwatchStore } from '../store/stopwatch-store.js';
import type { TimeEntryLedger } from '../store/time-entry-ledger.js';

export type EntryOutcome =
  | { key: string; status: 'created'; timeEntryId: number; body: TimeEntryCreateBody; reasons: string[] }
  | { key: string; status: 'found'; timeEntryId: number; reason: string }
  | { key: string; status: 'already-pushed'; timeEntryId: number }
  | { key: string; status: 'would-create'; body: TimeEntryCreateBody; reasons: string[] }
  | { key: string; status: 'refused'; code: string; reason: string }
  /** A create whose answer was lost may still land: not created again until the window passed (item 7). */
  | { key: string; status: 'waiting'; lookAgainAt: string; reason: string };

export interface PushTimeEntriesDeps {
  client: AutotaskClient;
  ledger: TimeEntryLedger;
  stopwatches: StopwatchStore;
  policy: AppConfig['timeEntries'];
  logger: Logger;
  dryRun: boolean;
  signal: AbortSignal;
  now: () => Date;
  /** config.autotask.unknownOutcomeWindowMs / unknownOutcomeLookMs (docs/unknown-outcomes.md). */
  unknownOutcome: { windowMs: number; lookEveryMs: number };
  /** Entries waiting on an unknown outcome fail the job as RetryLater (true), or are only reported (the sweep). */
  delayWhenWaiting: boolean;
}

/** Reads the tickets and resources of a batch with one `id in (…)` query each, not one GET per entry. */
async function facts(deps: PushTimeEntriesDeps, entries: readonly TimeEntryInput[]):
Promise<{ tickets: Map<number, Ticket>; resources: Map<number, Resource> }> {
  const tickets = new Map<number, Ticket>();
  const resources = new Map<number, Resource>();
  const ticketIds = [...new Set(entries.map((e) => e.ticketId))];
  const resourceIds = [...new Set(entries.map((e) => e.resourceId))];
  for await (const t of deps.client.queryIn('Tickets', 'id', ticketIds, [], { signal: deps.signal })) tickets.set(t.id, t);
  for await (const r of deps.client.queryIn('Resources', 'id', resourceIds, [], { signal: deps.signal })) resources.set(r.id, r);
  return { tickets, resources };
}

/** An entry with this ticket, resource and start second but other content: a different piece of work, or an edit. */
export class TimeEntryConflictError extends AppError {
  constructor(ids: number[], differences: string[]) {
    super('TIME_ENTRY_CONFLICT', `time entr${ids.length === 1 ? 'y' : 'ies'} ${ids.join(', ')} of this ticket, resource and start ` +
      `second differ from this one (${differences.join('; ')}); not guessing which is meant: nothing created, resolve by hand`,
    { details: { timeEntryIds: ids, differences } });
  }
}

/**
 * The entry this body would create, if Autotask has it (same ticket, resource, start second and same work —
 * rules/time-entry.ts sameWork). An entry that matches on start but differs in content throws
 * TimeEntryConflictError: refusing to guess beats absorbing a different piece of work or adding a twin.
 */
async function findExisting(client: AutotaskClient, body: TimeEntryCreateBody, signal: AbortSignal): Promise<number | null> {
  const look = timeEntryLookup(body);
  const filter = [
    { op: 'eq' as const, field: 'ticketID', value: look.ticketID },
    { op: 'eq' as const, field: 'resourceID', value: look.resourceID },
    { op: 'gte' as const, field: 'startDateTime', value: look.startFrom },
    { op: 'lt' as const, field: 'startDateTime', value: look.startBefore },
  ];
  const conflicts: Array<{ id: number; differences: string[] }> = [];
  for await (const existing of client.query('TimeEntries', filter, { signal })) {
    if (!timeEntryMatches(existing, body)) continue;
    const work = sameWork(existing, body);
    if (work.same) return existing.id;
    conflicts.push({ id: existing.id, differences: work.differences });
  }
  if (conflicts.length > 0) throw new TimeEntryConflictError(conflicts.map((c) => c.id), [...new Set(conflicts.flatMap((c) => c.differences))]);
  return null;
}

/**
 * A refused time entry comes back with Autotask's generic permission text ("…does not have the adequate
 * permissions…", docs/autotask-samples.md "Errors"), which names no setting. Which one decides depends on the mode:
 * made as the API user for someone else, "Proxy Time Entry"; made as the resource itself (impersonation), the two
 * impersonation settings of the security levels (docs/autotask-samples.md, "Impersonation").
 */
export function proxyHint(policy: AppConfig['timeEntries'], message: string): string {
  if (!/adequate permissions/i.test(message)) return '';
  if (policy.proxy === 'as-api-user') {
    return ' — the entry was made as the API user for another resource: turn on "Proxy Time Entry" for the API user\'s '
      + 'security level in Autotask, or set timeEntries.proxy to "impersonate" so each entry is made as its own resource';
  }
  return ' — the entry was made as its own resource (ImpersonationResourceId): in Autotask, the technician\'s security level '
    + 'needs "Allow impersonation of resources with this security level" (off by default) and the API user\'s API-only '
    + 'security level needs Resource Impersonation for time entries (add); or set timeEntries.proxy to "as-api-user" '
    + 'with "Proxy Time Entry" allowed for the API user';
}

async function noteStopwatch(deps: PushTimeEntriesDeps, key: string, outcome: EntryOutcome): Promise<void> {
  // A stopwatch's entry key is the stopwatch id; other sources use their own keys, which match no stopwatch.
  if (deps.dryRun || !(await deps.stopwatches.get(key))) return;
  if ('timeEntryId' in outcome) await deps.stopwatches.markPushed(key, outcome.timeEntryId);
  else if (outcome.status === 'refused') await deps.stopwatches.markPushError(key, outcome.reason);
}

async function pushOne(deps: PushTimeEntriesDeps, entry: TimeEntryInput, ticket: Ticket | null, resource: Resource | null):
Promise<EntryOutcome> {
  const known = await deps.ledger.get(entry.key);
  if (known?.status === 'created' && known.timeEntryId !== null) {
    return { key: entry.key, status: 'already-pushed', timeEntryId: known.timeEntryId };
  }
  const plan = planTimeEntry({ entry, ticket, resource, policy: deps.policy, now: deps.now() });
  if (!plan.ok) {
    if (!deps.dryRun) await deps.ledger.markFailed(entry.key, plan.reason);
    return { key: entry.key, status: 'refused', code: plan.code, reason: plan.reason };
  }
  if (deps.dryRun) return { key: entry.key, status: 'would-create', body: plan.body, reasons: plan.reasons };

  await deps.ledger.markPending(entry.key, entryFingerprint(entry), entry);
  // Look before create: an earlier attempt whose answer was lost may have made it (docs/autotask-api.md#writing).
  const existing = await findExisting(deps.client, plan.body, deps.signal);
  if (existing !== null) {
    await deps.ledger.markCreated(entry.key, existing);
    return { key: entry.key, status: 'found', timeEntryId: existing, reason: 'an entry of this ticket, resource and start already exists' };
  }
  // An earlier create of this key got no answer: it may still land, so look (done above), do not create, until
  // Autotask's own request lifetime has passed (docs/unknown-outcomes.md).
  const decision = decideCreate({ createSentAt: known?.createSentAt, now: deps.now(), windowMs: deps.unknownOutcome.windowMs,
    lookEveryMs: deps.unknownOutcome.lookEveryMs });
  if (decision.action === 'wait') return { key: entry.key, status: 'waiting', lookAgainAt: decision.lookAgainAt.toISOString(), reason: decision.reason };
  await deps.ledger.markCreateSent(entry.key);
  try {
    // Only the resource itself may create its entries unless the tenant allows Proxy Time Entry, so by default the
    // create is made as the entry's resource (docs/autotask-samples.md, "TimeEntries").
    const id = await deps.client.create('TimeEntries', { ...plan.body }, deps.signal,
      deps.policy.proxy === 'impersonate' ? { impersonateResourceId: plan.body.resourceID } : undefined);
    await deps.ledger.markCreated(entry.key, id);
    return { key: entry.key, status: 'created', timeEntryId: id, body: plan.body, reasons: plan.reasons };
  } catch (error) {
    if (error instanceof CreateOutcomeUnknownError) {
      const made = await findExisting(deps.client, plan.body, deps.signal);
      if (made !== null) {
        await deps.ledger.markCreated(entry.key, made);
        return { key: entry.key, status: 'found', timeEntryId: made, reason: 'the create answer was lost; the entry was found' };
      }
      const sent = (await deps.ledger.get(entry.key))?.createSentAt;
      const wait = decideCreate({ createSentAt: sent, now: deps.now(), windowMs: deps.unknownOutcome.windowMs, lookEveryMs: deps.unknownOutcome.lookEveryMs });
      if (wait.action === 'wait') return { key: entry.key, status: 'waiting', lookAgainAt: wait.lookAgainAt.toISOString(), reason: wait.reason };
    } else {
      // Only an ambiguous failure is a CreateOutcomeUnknownError (autotask/classify.ts); anything else — the
      // governor holding the request back for budget, a 429, a refusal — means this create was not applied, so
      // the next attempt must not wait out Autotask's request lifetime for it (docs/unknown-outcomes.md).
      await deps.ledger.clearCreateSent(entry.key);
    }
    throw error;
  }
}

export async function pushTimeEntries(deps: PushTimeEntriesDeps, entries: readonly TimeEntryInput[]): Promise<EntryOutcome[]> {
  if (entries.length === 0) return [];
  const { tickets, resources } = await facts(deps, entries);
  const outcomes: EntryOutcome[] = [];
  let transient: unknown = null;
  for (const entry of entries) {
    deps.signal.throwIfAborted();
    let outcome: EntryOutcome;
    try {
      outcome = await pushOne(deps, entry, tickets.get(entry.ticketId) ?? null, resources.get(entry.resourceId) ?? null);
    } catch (error) {
      // A refusal from Autotask itself (validation 500) is final for this entry; anything retryable fails the job
      // after the rest of the batch is done, so BullMQ retries it and the ledger skips what is already pushed.
      if (error instanceof AppError && !error.retryable) {
        const reason = error.message + proxyHint(deps.policy, error.message);
        if (!deps.dryRun) await deps.ledger.markFailed(entry.key, reason);
        outcome = { key: entry.key, status: 'refused', code: error.code, reason };
      } else {
        transient ??= error;
        deps.logger.warn({ key: entry.key, err: errorMessage(error) }, 'time entry push failed; will retry');
        continue;
      }
    }
    if (outcome.status === 'refused') deps.logger.warn({ key: entry.key, code: outcome.code }, outcome.reason);
    await noteStopwatch(deps, entry.key, outcome);
    outcomes.push(outcome);
  }
  if (transient !== null) throw transient;
  const waiting = outcomes.filter((o): o is Extract<EntryOutcome, { status: 'waiting' }> => o.status === 'waiting');
  if (waiting.length > 0 && deps.delayWhenWaiting) {
    // The rest of the batch is done; the job comes back to look again, without spending an attempt.
    const at = new Date(Math.min(...waiting.map((w) => Date.parse(w.lookAgainAt))));
    throw new RetryLaterError('TIME_ENTRY_OUTCOME_UNKNOWN', `${waiting.length} time entr${waiting.length === 1 ? 'y' : 'ies'} ` +
      `(${waiting.map((w) => w.key).slice(0, 5).join(', ')}) may still be created by an earlier request; looking again at ${at.toISOString()}`, at);
  }
  return outcomes;
}
