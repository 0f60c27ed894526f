/**
 * Writes the problem groups that detection found (issue 7): reuse or create one Problem per group, then link
 * each new incident to it. Every write is idempotent and looked for before it is made:
 *  - a new Problem carries the group's stable key in `externalID` (≤ 50 characters, docs/autotask-api.md#tickets), so it
 *    is found again by a query before any create, and after a create whose answer was lost;
 *  - incidents are re-read from Autotask before linking, and one a person linked meanwhile is never moved;
 *  - a link is `PATCH problemTicketId` (docs/autotask-api.md#tickets: "An incident is linked to its problem by PATCHing the
 *    incident's problemTicketId"), which is the same write however often it is repeated. The body holds only
 *    `id`, `problemTicketId` and (with setIncidentType) `ticketType`: a completed ticket keeps its status and dates;
 *  - a completed Problem is never joined: the Problem is re-read, and a recurrence gets a new Problem;
 *  - a ticket we linked that a person unlinked is never linked again (src/store/problem-link-ledger.ts).
 */
import type { AppConfig } from '../../config/schema.js';
import { CreateOutcomeUnknownError } from '../autotask/errors.js';
import { TICKET_TYPE, type Ticket } from '../autotask/schemas/index.js';
import type { FieldInformation } from '../autotask/schemas/index.js';
import type { AutotaskClient } from '../autotask/types.js';
import { AppError, errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { ProblemGroup } from '../rules/detection-types.js';
import { recurrenceKeyOf } from '../rules/group-key.js';
import { decideCreate } from '../rules/unknown-outcome.js';
import { clearCreateSent, createSentAt, recordCreateSent } from '../store/create-marks.js';
import type { EntityStore } from '../store/entity-store.js';
import type { ProblemLinkLedger } from '../store/problem-link-ledger.js';
import { projectTicket } from '../store/projections.js';

export interface ProblemWrite { method: 'POST' | 'PATCH'; entity: string; body: Record<string, unknown>; reason: string }

export interface ProblemWriterDeps {
  client: AutotaskClient;
  store: EntityStore;
  /** What we linked before: a ticket we linked that is unlinked now was unlinked by a person (never relinked). */
  ledger: ProblemLinkLedger;
  settings: AppConfig['detection'];
  logger: Logger;
  dryRun: boolean;
  signal: AbortSignal;
  now: () => Date;
  /** config.autotask.unknownOutcomeWindowMs / unknownOutcomeLookMs (docs/unknown-outcomes.md). */
  unknownOutcome: { windowMs: number; lookEveryMs: number };
}

export interface GroupOutcome {
  groupKey: string;
  problemTicketId: number | null;
  created: boolean;
  linked: number[];
  skipped: Array<{ ticketId: number; reason: string }>;
  /** An earlier create of this group's Problem got no answer and may still land: nothing created or linked yet. */
  waiting?: { lookAgainAt: string; reason: string };
}

const TITLE_MAX = 255;
const DESCRIPTION_MAX = 8000;

export class ProblemSettingsError extends AppError {
  constructor(message: string) { super('DETECTION_PROBLEM_SETTINGS', message); }
}

/**
 * A dependent picklist value belongs to one value of its parent field (docs/autotask-api.md#metadata: a
 * subIssueType to one issueType); Autotask refuses the pair otherwise, so the template must name the parent too.
 */
function checkParent(fields: Record<string, unknown>, name: string, field: FieldInformation, parentValue: number | null): void {
  if (parentValue === null) return;
  const parentField = typeof field.picklistParentValueField === 'string' && field.picklistParentValueField !== ''
    ? field.picklistParentValueField : name.toLowerCase() === 'subissuetype' ? 'issueType' : '';
  if (parentField === '') return;
  const parentName = Object.keys(fields).find((k) => k.toLowerCase() === parentField.toLowerCase());
  const given = parentName === undefined ? null : fields[parentName];
  const at = `detection.problem.fields.${name}`;
  if (given === null || given === undefined) {
    throw new ProblemSettingsError(`${at}: ${String(fields[name])} belongs to ${parentField} ${parentValue}; set detection.problem.fields.${parentField} to ${parentValue} too`);
  }
  if (Number(given) !== parentValue) {
    throw new ProblemSettingsError(`${at}: ${String(fields[name])} belongs to ${parentField} ${parentValue}, not to detection.problem.fields.${parentField} = ${String(given)}`);
  }
}

/**
 * Checks detection.problem against the tenant before any write: status/priority/queue against its picklists (they
 * differ per tenant), and each extra template field against the Tickets field metadata — it must exist, be writable,
 * hold a value of its type, and for a picklist an active value. The error names the setting.
 */
export async function checkProblemSettings(client: AutotaskClient, settings: AppConfig['detection']['problem'], signal?: AbortSignal): Promise<void> {
  const entries = Object.entries(settings.fields);
  if (entries.length > 0) {
    const fields = await client.fields('Tickets', signal);
    for (const [name, value] of entries) {
      const at = `detection.problem.fields.${name}`;
      const field = fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
      if (!field) throw new ProblemSettingsError(`${at}: this tenant's Tickets have no field "${name}"`);
      if (field.name !== name) throw new ProblemSettingsError(`${at}: the field is spelled "${field.name}"`);
      if (field.isReadOnly) throw new ProblemSettingsError(`${at}: Tickets.${name} is read-only`);
      if (value === null) continue;
      if (field.isPickList) {
        const values = await client.picklist('Tickets', name, signal);
        const chosen = values.find((v) => String(v.value) === String(value));
        if (!chosen) {
          throw new ProblemSettingsError(`${at}: ${JSON.stringify(value)} is not an active Tickets.${name} of this tenant ` +
            `(known: ${values.map((v) => `${v.value} ${v.label}`).slice(0, 30).join(', ')})`);
        }
        checkParent(settings.fields, name, field, chosen.parentValue);
        continue;
      }
      const type = field.dataType.toLowerCase();
      const numeric = ['integer', 'long', 'short', 'double', 'decimal', 'float'].includes(type);
      if ((numeric && typeof value !== 'number') || (type === 'boolean' && typeof value !== 'boolean')
        || ((type === 'string' || type === 'datetime' || type === 'date') && typeof value !== 'string')) {
        throw new ProblemSettingsError(`${at}: Tickets.${name} holds ${field.dataType}, not ${JSON.stringify(value)}`);
      }
    }
  }
  const checks: Array<[string, number | null]> = [['status', settings.status], ['priority', settings.priority], ['queueID', settings.queueID]];
  for (const [field, value] of checks) {
    if (value === null) continue;
    const values = await client.picklist('Tickets', field, signal);
    if (!values.some((v) => v.value === value)) {
      const known = values.map((v) => `${v.value} ${v.label}`).join(', ');
      throw new ProblemSettingsError(`detection.problem.${field === 'queueID' ? 'queueID' : field}: ${value} is not an active ` +
        `Tickets.${field} of this tenant (known: ${known})`);
    }
  }
}

const STATUS_COMPLETE = 5;

/** The Problem carrying this group key: an open one if there is one, else a completed one, else null. */
async function findByExternalId(client: AutotaskClient, groupKey: string, signal: AbortSignal): Promise<Ticket | null> {
  let closed: Ticket | null = null;
  for await (const ticket of client.query('Tickets', [{ op: 'eq', field: 'externalID', value: groupKey }], { signal })) {
    if (ticket.ticketType !== TICKET_TYPE.problem) continue;
    if (ticket.status !== STATUS_COMPLETE) return ticket;
    closed ??= ticket;
  }
  return closed;
}

/**
 * The open Problem for this group key, following completed ones: a person completed the Problem we made, so
 * a recurrence needs a new one (its key derived from the closed one's id, as detection derives it) and the
 * closed Problem is never joined again — also when our stored copy did not know it was closed yet.
 */
async function findOpenProblem(client: AutotaskClient, groupKey: string, previous: Ticket | null, signal: AbortSignal):
Promise<{ open: Ticket | null; key: string; previous: Ticket | null }> {
  let key = groupKey;
  let last = previous;
  // Each step needs a completed Problem holding the previous key; a tenant has few, and 20 is far beyond any.
  for (let step = 0; step < 20; step += 1) {
    const found = await findByExternalId(client, key, signal);
    if (found === null) return { open: null, key, previous: last };
    if (found.status !== STATUS_COMPLETE) return { open: found, key, previous: last };
    last = found;
    key = recurrenceKeyOf(key, found.id);
  }
  throw new ProblemSettingsError(`group ${groupKey}: more than 20 completed Problems in a row carry its keys`);
}

function problemBody(group: ProblemGroup, groupKey: string, previous: Ticket | null, members: Map<number, Ticket>,
  settings: AppConfig['detection']['problem']): Record<string, unknown> {
  const first = members.get(group.newLinks[0] ?? group.ticketIds[0] ?? -1);
  const lines = group.ticketIds.map((id) => {
    const t = members.get(id);
    return `- ${t?.ticketNumber ?? `#${id}`} ${t?.createDate?.slice(0, 16).replace('T', ' ') ?? ''} ${t?.title ?? ''}`.trimEnd();
  });
  const recurrence = previous === null ? [] : [`Recurrence of problem ${previous.ticketNumber ?? `#${previous.id}`} (#${previous.id}), `
    + `completed${previous.completedDate ? ` ${previous.completedDate.slice(0, 10)}` : ''}; that Problem is left closed.`];
  const description = [
    ...recurrence,
    `Recurring tickets judged to share one root cause (${group.reason}).`,
    `Company ${group.companyID ?? 'unknown'}${group.configurationItemID ? `, configuration item ${group.configurationItemID}` : ''}.`,
    `Incidents (${group.ticketIds.length}):`, ...lines,
    `Made by autotask-sync; group key ${groupKey}.`,
  ].join('\n');
  return {
    // The template's extra fields first: what the worker sets itself cannot be overridden (config refuses it too).
    ...settings.fields,
    ticketType: TICKET_TYPE.problem,
    title: `${settings.titlePrefix}${group.title}`.slice(0, TITLE_MAX),
    description: description.length > DESCRIPTION_MAX ? `${description.slice(0, DESCRIPTION_MAX - 1)}…` : description,
    companyID: group.companyID,
    ...(group.configurationItemID !== null ? { configurationItemID: group.configurationItemID } : {}),
    status: settings.status,
    priority: settings.priority ?? first?.priority ?? null,
    queueID: settings.queueID ?? first?.queueID ?? null,
    externalID: groupKey,
  };
}

interface ProblemChoice {
  id: number | null;
  created: boolean;
  groupKey: string;
  refused: string | null;
  waiting?: { lookAgainAt: string; reason: string };
}

/**
 * Makes or finds the group's Problem; id null in a dry run that would create one, when the group is refused
 * (the existing Problem it was to join is completed or gone since our last read), or while an earlier create's
 * outcome is unknown: then it only looks, until Autotask's request lifetime has passed (docs/unknown-outcomes.md).
 */
async function ensureProblem(deps: ProblemWriterDeps, group: ProblemGroup, members: Map<number, Ticket>, writes: ProblemWrite[]):
Promise<ProblemChoice> {
  if (group.problemTicketId !== null) {
    const problem = members.get(group.problemTicketId);
    // Only a Problem we can see, still a Problem and still open is joined; detection is re-run on the next pull.
    if (problem && (problem.ticketType !== TICKET_TYPE.problem || problem.status === STATUS_COMPLETE)) {
      return { id: null, created: false, groupKey: group.groupKey,
        refused: `problem ${group.problemTicketId} is ${problem.status === STATUS_COMPLETE ? 'completed' : 'no longer a Problem'}; it is never joined again` };
    }
    return { id: group.problemTicketId, created: false, groupKey: group.groupKey, refused: null };
  }
  const previous = group.previousProblemId === null ? null : await deps.client.get('Tickets', group.previousProblemId, deps.signal);
  const found = await findOpenProblem(deps.client, group.groupKey, previous, deps.signal);
  const key = found.key;
  if (found.open) {
    if (!deps.dryRun) await clearCreateSent(deps.store, 'problem', key);
    return { id: found.open.id, created: false, groupKey: key, refused: null };
  }
  const wait = async (): Promise<ProblemChoice | null> => {
    const decision = decideCreate({ createSentAt: await createSentAt(deps.store, 'problem', key), now: deps.now(),
      windowMs: deps.unknownOutcome.windowMs, lookEveryMs: deps.unknownOutcome.lookEveryMs });
    return decision.action === 'wait'
      ? { id: null, created: false, groupKey: key, refused: null, waiting: { lookAgainAt: decision.lookAgainAt.toISOString(), reason: decision.reason } }
      : null;
  };
  const waiting = await wait();
  if (waiting) return waiting;
  const body = problemBody(group, key, found.previous, members, deps.settings.problem);
  const why = found.previous ? `, recurrence of completed problem ${found.previous.id}` : '';
  writes.push({ method: 'POST', entity: 'Tickets', body, reason: `new Problem for ${group.ticketIds.length} recurring tickets${why}` });
  if (deps.dryRun) return { id: null, created: true, groupKey: key, refused: null };
  await recordCreateSent(deps.store, 'problem', key, deps.now());
  try {
    const id = await deps.client.create('Tickets', body, deps.signal);
    await clearCreateSent(deps.store, 'problem', key);
    return { id, created: true, groupKey: key, refused: null };
  } catch (error) {
    if (!(error instanceof CreateOutcomeUnknownError)) {
      // Not ambiguous (held back for budget, a 429, a refusal): nothing of this request can land later, so the
      // next run must not wait out Autotask's request lifetime for it (docs/unknown-outcomes.md).
      await clearCreateSent(deps.store, 'problem', key);
      throw error;
    }
    const made = await findByExternalId(deps.client, key, deps.signal);
    if (made) {
      await clearCreateSent(deps.store, 'problem', key);
      return { id: made.id, created: true, groupKey: key, refused: null };
    }
    const later = await wait();
    if (later) return later;
    throw error;
  }
}

export async function writeProblemGroup(deps: ProblemWriterDeps, group: ProblemGroup, writes: ProblemWrite[]): Promise<GroupOutcome> {
  // Fresh state of every member: a person may have linked or closed one since the last pull.
  const members = new Map<number, Ticket>();
  for await (const t of deps.client.queryIn('Tickets', 'id', group.ticketIds, [], { signal: deps.signal })) members.set(t.id, t);
  const problem = await ensureProblem(deps, group, members, writes);
  const outcome: GroupOutcome = { groupKey: problem.groupKey, problemTicketId: problem.id, created: problem.created, linked: [], skipped: [] };
  if (problem.refused !== null) {
    outcome.skipped.push(...group.newLinks.map((ticketId) => ({ ticketId, reason: problem.refused! })));
    return outcome;
  }
  if (problem.waiting) {
    deps.logger.warn({ groupKey: problem.groupKey }, problem.waiting.reason);
    return { ...outcome, waiting: problem.waiting };
  }
  const ledger = await deps.ledger.getMany(group.newLinks);
  const changed: Ticket[] = [];
  for (const ticketId of group.newLinks) {
    const current = members.get(ticketId);
    if (!current) { outcome.skipped.push({ ticketId, reason: 'no longer in Autotask' }); continue; }
    const ours = ledger.get(ticketId);
    if (current.problemTicketId !== null) {
      if (current.problemTicketId !== problem.id) outcome.skipped.push({ ticketId, reason: `already linked to problem ${current.problemTicketId}` });
      // A PATCH that landed before a crash: now confirmed.
      else if (ours?.state === 'pending' && !deps.dryRun) await deps.ledger.markLinked(ticketId, current.problemTicketId);
      continue;
    }
    if (ours?.state === 'linked') {
      outcome.skipped.push({ ticketId, reason: `a person unlinked it from problem ${ours.problemId} after autotask-sync linked it; never linked again` });
      continue;
    }
    if (current.ticketType === TICKET_TYPE.problem || current.ticketType === TICKET_TYPE.changeRequest) {
      outcome.skipped.push({ ticketId, reason: 'a Problem or Change Request is never made an incident' });
      continue;
    }
    const body = { id: ticketId, problemTicketId: problem.id ?? '(new problem)',
      ...(deps.settings.setIncidentType && current.ticketType !== TICKET_TYPE.incident ? { ticketType: TICKET_TYPE.incident } : {}) };
    writes.push({ method: 'PATCH', entity: 'Tickets', body, reason: `incident of ${group.groupKey}` });
    if (deps.dryRun || problem.id === null) continue;
    await deps.ledger.markPending(ticketId, problem.id);
    await deps.client.update('Tickets', body as { id: number });
    await deps.ledger.markLinked(ticketId, problem.id);
    outcome.linked.push(ticketId);
    changed.push({ ...current, problemTicketId: problem.id, ...(body.ticketType ? { ticketType: body.ticketType } : {}) });
  }
  if (!deps.dryRun && changed.length > 0) {
    await deps.store.upsert('Tickets', changed.map(projectTicket));
    if (deps.settings.problem.addNote && problem.id !== null) await addNote(deps, problem.id, changed, members);
  }
  return outcome;
}

async function addNote(deps: ProblemWriterDeps, problemId: number, linked: Ticket[], members: Map<number, Ticket>): Promise<void> {
  const list = linked.map((t) => members.get(t.id)?.ticketNumber ?? `#${t.id}`).join(', ');
  try {
    const noteType = (await deps.client.picklist('TicketNotes', 'noteType'))[0]?.value ?? 1;
    await deps.client.createChild('Tickets', problemId, 'Notes', {
      title: 'Incidents linked by autotask-sync',
      description: `Linked as incidents of this problem: ${list}.`,
      noteType, publish: 1,
    }, deps.signal);
  } catch (error) {
    // The note is a courtesy; the links are made. A failed or lost note is logged, never retried blindly.
    deps.logger.warn({ problemId, err: errorMessage(error) }, 'could not add the note listing linked incidents');
  }
}
