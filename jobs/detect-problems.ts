/**
 * `detect-problems`: recurring tickets become one Problem with the others linked as Incidents (issue 7).
 * Over the stored tickets (sync-tickets fills them); with `ticketId` (a webhook), that ticket is read fresh and
 * only the groups it belongs to are written, within seconds of Autotask's callout.
 */
import { z } from 'zod';
import { RetryLaterError } from '../src/lib/errors.js';
import { chooseRuleSets } from '../src/rules/detection-tuning.js';
import { suggestionIdOf } from '../src/rules/group-key.js';
import { detectProblems, type ProblemGroup } from '../src/rules/problem-detection.js';
import { checkProblemSettings, writeProblemGroup, type GroupOutcome, type ProblemWrite } from '../src/push/problems.js';
import { projectTicket } from '../src/store/projections.js';
import { plural } from '../src/lib/plural.js';
import { trimProblemLinks } from '../src/push/problem-link-retention.js';
import { defineJob } from './define-job.js';

export const detectProblemsJob = defineJob({
  name: 'detect-problems',
  description: 'Find recurring tickets, make or reuse one Problem per group and link the others as Incidents',
  schema: z.strictObject({ ticketId: z.number().int().positive().optional(),
    /**
     * Autotask called out that the ticket was deleted. The run is the same (the ticket is read again first); the
     * field gives it its own de-duplication id, so a run for the ticket already under way, which may have read it
     * before the deletion, does not take the callout's place (src/runtime/enqueue.ts).
     */
    deleted: z.literal(true).optional(),
    /** The approved suggestion that enqueued this run (POST /api/problem-suggestions/{id}/approve); every approved one is written. */
    suggestionId: z.string().regex(/^[0-9a-f]{24}$/).optional() }),
  writesToTenant: true,
  syncAllStage: 'chain',
  async handler(ctx) {
    const { client, entities: store, problemLinks: ledger } = ctx.scope;
    const settings = ctx.config.detection;
    await checkProblemSettings(client, settings.problem);
    // A ticket Autotask no longer has (deleted in the UI: a Delete callout, or one that raced a Create or Update) leaves
    // the store now instead of when its look-back ends, so no group is detected around it.
    let gone: { ticketId: number; removed: boolean } | null = null;
    if (ctx.data.ticketId !== undefined) {
      const fresh = await client.get('Tickets', ctx.data.ticketId, ctx.signal);
      if (!fresh) gone = { ticketId: ctx.data.ticketId, removed: !ctx.dryRun && (await store.remove('Tickets', [ctx.data.ticketId])) > 0 };
      else if (!ctx.dryRun) await store.upsert('Tickets', [projectTicket(fresh)]);
    }
    const stored = await store.all('Tickets');
    // (A dry run leaves a gone ticket stored: it is left out here all the same.)
    const tickets = gone ? stored.filter((t) => t.id !== gone.ticketId) : stored;
    // Tickets we linked that are unlinked now: a person's decision, never undone (src/store/problem-link-ledger.ts).
    const ours = await ledger.linked();
    const unlinkedByPerson = new Set(tickets.filter((t) => t.problemTicketId === null && ours.has(t.id)).map((t) => t.id));
    // Rules learnt by tune-detection replace the configured ones only when they were more precise on tickets they
    // had not seen (src/rules/detection-tuning.ts); the result says which rules ran and why.
    const rules = chooseRuleSets(settings.ruleSets, await ctx.scope.detectionTuning.latest());
    const detection = detectProblems({ tickets, ruleSets: rules.ruleSets, unlinkedByPerson,
      options: { linkCompleted: settings.linkCompleted, now: ctx.now() } });
    const focus = ctx.data.ticketId;
    const withNewLinks = detection.groups.filter((g) => g.newLinks.length > 0 && (focus === undefined || g.ticketIds.includes(focus)));
    // Review before write: only confident groups in link mode are written now; the rest wait for a person.
    const auto = (g: ProblemGroup): boolean => settings.mode === 'link' && g.confidence >= settings.autoLinkConfidence;
    const proposals = withNewLinks.filter((g) => !auto(g)).map((group) => ({ id: suggestionIdOf(group.groupKey, group.ticketIds), group }));
    const suggestions = ctx.dryRun
      ? proposals.map(({ id, group }) => ({ id, status: 'open', group }))
      : await ctx.scope.problemSuggestions.propose(proposals, focus === undefined);
    // Approved suggestions go through the same exactly-once path (re-read, externalID look-up, link ledger): an
    // approval whose run crashed half-way is finished by the next run, each ticket linked once.
    const approved = await ctx.scope.problemSuggestions.list('approved');
    const groups = [...withNewLinks.filter(auto), ...approved.map((s) => s.group)];
    const approvedIds = new Map(approved.map((s, i) => [withNewLinks.filter(auto).length + i, s.id]));

    // Per group about: the members' re-read, the Problem's look-up and create, a PATCH per new link, the note.
    await ctx.planRequests(groups.reduce((n, g) => n + 4 + g.newLinks.length, 0));
    const writes: ProblemWrite[] = [];
    const outcomes: GroupOutcome[] = [];
    for (const [index, group] of groups.entries()) {
      ctx.signal.throwIfAborted();
      const outcome = await writeProblemGroup({ client, store, ledger, settings, logger: ctx.logger.child({ group: group.groupKey }),
        dryRun: ctx.dryRun, signal: ctx.signal, now: () => ctx.now(),
        unknownOutcome: { windowMs: ctx.config.autotask.unknownOutcomeWindowMs, lookEveryMs: ctx.config.autotask.unknownOutcomeLookMs } },
      group, writes);
      outcomes.push(outcome);
      const suggestionId = approvedIds.get(index);
      // A group still waiting on an unknown create keeps its approval open; the next run finishes it.
      if (suggestionId !== undefined && !ctx.dryRun && !outcome.waiting) {
        await ctx.scope.problemSuggestions.markLinked(suggestionId, { problemTicketId: outcome.problemTicketId, linked: outcome.linked });
      }
      await ctx.progress({ groups: index + 1, of: groups.length });
    }
    const waiting = outcomes.filter((o) => o.waiting);
    // A run for one ticket (a webhook) comes back to look again; the full run leaves it to the next run.
    if (waiting.length > 0 && focus !== undefined) {
      const at = new Date(Math.min(...waiting.map((o) => Date.parse(o.waiting!.lookAgainAt))));
      throw new RetryLaterError('PROBLEM_OUTCOME_UNKNOWN', `the Problem of ${waiting.map((o) => o.groupKey).join(', ')} may still be created ` +
        `by an earlier request; looking again at ${at.toISOString()}`, at);
    }
    // Retention (docs/store-bounds.md#retention) in the full run only: a webhook's one-ticket run stays light.
    const retention = ctx.dryRun || focus !== undefined ? { dropped: 0 } : await trimProblemLinks({ client, store, ledger,
      retentionDays: ctx.config.store.retentionDays, now: ctx.now(), signal: ctx.signal });
    const created = outcomes.filter((o) => o.created).length;
    const linked = outcomes.reduce((n, o) => n + o.linked.length, 0);
    const verb = ctx.dryRun ? 'would write' : 'wrote';
    const open = suggestions.filter((x) => x.status === 'open');
    return {
      summary: `Problems: ${plural(detection.groups.length, 'group')}, ${groups.length} to link, ${open.length} suggested for review; ${verb} `
        + `${plural(created, 'new problem')}${ctx.dryRun ? '' : `, linked ${plural(linked, 'incident')}`}`
        + (waiting.length ? `; ${plural(waiting.length, 'group')} wait${waiting.length === 1 ? 's' : ''}: an earlier Problem create may still land` : '')
        + (rules.source === 'tuned' ? '; tuned rules' : '')
        + (gone ? `; ticket ${gone.ticketId} no longer exists in Autotask${gone.removed ? ', removed from the store' : ''}` : ''),
      rules: { source: rules.source, ruleSets: rules.ruleSets.map((r) => r.name), reason: rules.reason },
      counts: { tickets: tickets.length, unlinkedByPerson: unlinkedByPerson.size, groups: detection.groups.length, groupsWithNewLinks: withNewLinks.length,
        groupsToLink: groups.length, suggestions: open.length, problemsCreated: created, incidentsLinked: linked, writes: writes.length, waiting: waiting.length,
        linksDropped: retention.dropped, ticketsRemoved: gone?.removed ? 1 : 0 },
      groups: groups.map((g, i) => {
        const outcome = outcomes[i];
        return { groupKey: outcome?.groupKey ?? g.groupKey, problemTicketId: outcome?.problemTicketId ?? g.problemTicketId,
          previousProblemId: g.previousProblemId, ticketIds: g.ticketIds, newLinks: g.newLinks, reason: g.reason,
          confidence: g.confidence, confidenceReason: g.confidenceReason, ...(approvedIds.has(i) ? { suggestionId: approvedIds.get(i) } : {}) };
      }),
      suggestions: open.map((x) => ({ id: x.id, groupKey: x.group.groupKey, ticketIds: x.group.ticketIds, newLinks: x.group.newLinks,
        reason: x.group.reason, confidence: x.group.confidence, confidenceReason: x.group.confidenceReason })),
      outcomes,
      writes,
    };
  },
});
