/**
 * Retention of the problem-link ledger (issue 17 item 5, docs/store-bounds.md#retention). A `linked` entry older
 * than `retentionDays` goes only when
 *  - its ticket is no longer in the store (pulled out of the look-back window), so detection, which reads only
 *    stored tickets, cannot group it now; and
 *  - Autotask, read now (one `id in (…)` query per 500), shows the ticket still linked to that Problem, or the ticket
 *    is gone. A re-pulled ticket is then skipped by its own problemTicketID (src/push/problems.ts), never PATCHed twice.
 * A ticket a person unlinked keeps its entry: that decision is what the entry is for (human-sized, not trimmed).
 * Others are looked at again one retention period later.
 */
import type { AutotaskClient } from '../autotask/types.js';
import type { EntityStore } from '../store/entity-store.js';
import type { ProblemLinkLedger } from '../store/problem-link-ledger.js';

export const LINK_RETENTION_BATCH = 500;

export async function trimProblemLinks(deps: { client: AutotaskClient; store: EntityStore; ledger: ProblemLinkLedger;
  retentionDays: number; now: Date; signal: AbortSignal }, limit = LINK_RETENTION_BATCH): Promise<{ dropped: number; deferred: number }> {
  const before = deps.now.getTime() - deps.retentionDays * 86_400_000;
  const candidates = await deps.ledger.oldestLinked(new Date(before), limit);
  if (candidates.length === 0) return { dropped: 0, deferred: 0 };
  const stored = await deps.store.getMany('Tickets', candidates.map((c) => c.ticketId));
  const outOfWindow = candidates.filter((c) => !stored.has(c.ticketId) && Date.parse(c.entry.at) <= before);
  const current = new Map<number, number | null>();
  if (outOfWindow.length > 0) {
    for await (const t of deps.client.queryIn('Tickets', 'id', outOfWindow.map((c) => c.ticketId), [], { signal: deps.signal })) {
      current.set(t.id, t.problemTicketId);
    }
  }
  const drop = outOfWindow.filter((c) => !current.has(c.ticketId) || current.get(c.ticketId) === c.entry.problemId);
  const dropping = new Set(drop.map((c) => c.ticketId));
  const keep = candidates.filter((c) => !dropping.has(c.ticketId));
  const dropped = await deps.ledger.drop(drop);
  await deps.ledger.defer(keep.map((c) => ({ ticketId: c.ticketId,
    from: Date.parse(c.entry.at) > before ? Date.parse(c.entry.at) : deps.now.getTime() })));
  return { dropped, deferred: keep.length };
}
