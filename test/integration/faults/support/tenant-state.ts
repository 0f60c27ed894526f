/**
 * What a run leaves in the tenant, in a form two runs can be compared by (issue 10: "the tenant's final state
 * must equal a clean run's"), and the duplicate checks that need no second run.
 *
 * Record ids the sandbox hands out on create (a new Problem, a time entry) and timestamps it stamps (create
 * dates, lastActivityDate, the `webServiceDate` value = the moment of marking) differ between two runs, so a
 * new Problem is named by its `externalID` (the group key the product puts there) and a mark by its presence.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxHandle, SandboxRecord } from '../../../../src/sandbox/index.js';

const PROBLEM = 3;

export interface TenantState {
  /** Problems by reference: `ext:<externalID>` for one the product made, `#<id>` for one that was there. */
  problems: Array<{ ref: string; title: unknown; companyID: unknown; configurationItemID: unknown; status: unknown; description: unknown }>;
  /** Every ticket linked to a problem, with the problem's reference and the ticket's type. */
  links: Array<{ ticketId: number; problem: string; ticketType: unknown }>;
  timeEntries: Array<Record<string, unknown>>;
  /** Billing items carrying a webServiceDate. */
  markedBillingItems: number[];
  contractPurchaseOrders: Array<[number, unknown]>;
  /** Invoice documents in the file sink directory, by file name. */
  invoiceFiles: Record<string, unknown>;
}

function problemRefs(tickets: readonly SandboxRecord[]): Map<number, string> {
  const refs = new Map<number, string>();
  for (const t of tickets) {
    if (t.ticketType === PROBLEM) refs.set(t.id, typeof t.externalID === 'string' && t.externalID ? `ext:${t.externalID}` : `#${t.id}`);
  }
  return refs;
}

export function readInvoiceFiles(directory: string): Record<string, unknown> {
  let names: string[];
  try {
    // <tenant>/<invoiceKey>.json: the file sink keeps each tenant in its own folder.
    names = readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json'));
  } catch {
    return {};
  }
  const files: Record<string, unknown> = {};
  for (const name of names.sort()) files[name] = JSON.parse(readFileSync(join(directory, name), 'utf8')) as unknown;
  return files;
}

export function tenantState(sandbox: SandboxHandle, invoiceDir: string): TenantState {
  const tickets = sandbox.data.all('Tickets');
  const refs = problemRefs(tickets);
  const byRef = (a: { ref: string }, b: { ref: string }): number => a.ref.localeCompare(b.ref);
  return {
    problems: tickets.filter((t) => t.ticketType === PROBLEM).map((t) => ({ ref: refs.get(t.id)!, title: t.title, companyID: t.companyID,
      configurationItemID: t.configurationItemID, status: t.status, description: t.description })).sort(byRef),
    links: tickets.filter((t) => t.problemTicketId !== null && t.problemTicketId !== undefined)
      .map((t) => ({ ticketId: t.id, problem: refs.get(t.problemTicketId as number) ?? `missing:${String(t.problemTicketId)}`, ticketType: t.ticketType }))
      .sort((a, b) => a.ticketId - b.ticketId),
    timeEntries: sandbox.data.all('TimeEntries').map((e) => ({ ticketID: e.ticketID, resourceID: e.resourceID, roleID: e.roleID,
      dateWorked: e.dateWorked, startDateTime: e.startDateTime, endDateTime: e.endDateTime, hoursWorked: e.hoursWorked,
      summaryNotes: e.summaryNotes, internalNotes: e.internalNotes }))
      .sort((a, b) => `${String(a.ticketID)}|${String(a.resourceID)}|${String(a.startDateTime)}`
        .localeCompare(`${String(b.ticketID)}|${String(b.resourceID)}|${String(b.startDateTime)}`)),
    markedBillingItems: sandbox.data.all('BillingItems').filter((b) => b.webServiceDate !== null && b.webServiceDate !== undefined)
      .map((b) => b.id).sort((a, b) => a - b),
    contractPurchaseOrders: sandbox.data.all('Contracts').map((c) => [c.id, c.purchaseOrderNumber] as [number, unknown]).sort((a, b) => a[0] - b[0]),
    invoiceFiles: readInvoiceFiles(invoiceDir),
  };
}

/** Keys seen more than once, and more often than in the tenant's initial data (`initial`, a fresh sandbox). */
function duplicates(keys: string[], initial: string[] = []): string[] {
  const count = (list: string[]): Map<string, number> => {
    const seen = new Map<string, number>();
    for (const key of list) seen.set(key, (seen.get(key) ?? 0) + 1);
    return seen;
  };
  const before = count(initial);
  return [...count(keys)].filter(([key, n]) => n > Math.max(1, before.get(key) ?? 0)).map(([key, n]) => `${key} ×${n}`);
}

const timeEntryKey = (e: SandboxRecord): string => `${String(e.ticketID)}/${String(e.resourceID)}/${String(e.startDateTime)}`;

/**
 * Duplicates a crash or a lost answer could cause, read from the tenant and the sandbox's request log:
 *  - two Problems with one group key, two time entries for one ticket, resource and start;
 *  - a billing item marked twice: applied PATCHes of one item carrying different `webServiceDate` values, or more
 *    than one applied PATCH that was answered (a PATCH re-sent after its answer was lost is the same write again);
 *  - two notes with the same text on one Problem.
 * `initial` is a fresh sandbox of the same scenario: the demo data holds a few look-alike time entries of its own
 * (work logged twice by people, not by us), so a key counts as duplicated only beyond its count there.
 */
export function tenantDuplicates(sandbox: SandboxHandle, initial: SandboxHandle['data']): Record<string, string[]> {
  const tickets = sandbox.data.all('Tickets');
  const refs = problemRefs(tickets);
  const stamps = new Map<number, Set<string>>();
  const answered = new Map<number, number>();
  for (const entry of sandbox.requestLog) {
    if (entry.method !== 'PATCH' || entry.entity !== 'BillingItems') continue;
    const body = entry.body as { id?: number; webServiceDate?: string } | undefined;
    // Applied: a 2xx was chosen — answered, lost on the way back, or sent to a client that was gone.
    if (typeof body?.id !== 'number' || entry.status === null || entry.status < 200 || entry.status >= 300) continue;
    stamps.set(body.id, (stamps.get(body.id) ?? new Set()).add(String(body.webServiceDate)));
    if (entry.outcome === 'answered') answered.set(body.id, (answered.get(body.id) ?? 0) + 1);
  }
  return {
    problems: duplicates(tickets.filter((t) => t.ticketType === PROBLEM).map((t) => refs.get(t.id)!)),
    timeEntries: duplicates(sandbox.data.all('TimeEntries').map(timeEntryKey), initial.all('TimeEntries').map(timeEntryKey)),
    billingItemMarks: [
      ...[...stamps].filter(([, set]) => set.size > 1).map(([id, set]) => `item ${id}: ${[...set].join(', ')}`),
      ...[...answered].filter(([, n]) => n > 1).map(([id, n]) => `item ${id}: ${n} PATCHes answered`),
    ],
    notes: duplicates(sandbox.data.all('TicketNotes').map((n) => `${refs.get(n.ticketID as number) ?? String(n.ticketID)}: ${String(n.description)}`)),
  };
}

export const NO_DUPLICATES = { problems: [], timeEntries: [], billingItemMarks: [], notes: [] };
