/**
 * `detect-problems`: recurring tickets become one Problem with the others linked as Incidents (issue 7).
 * Over the stored tickets (sync-tickets fills them); with `ticketId` (a webhook), that ticket is read fresh and
 * only the groups it belongs to are written, within seconds of Autotask's callout.
 */
import { z } from 'zod';
import { detectProblems } from '../src/rules/problem-detection.js';
import { checkProblemSettings, writeProblemGroup, type GroupOutcome, type ProblemWrite } from '../src/push/problems.js';
import { projectTicket } from '../src/store/projections.js';
import { plural } from '../src/lib/plural.js';
import { defineJob } from './define-job.js';

export const detectProblemsJob = defineJob({
  name: 'detect-problems',
  description: 'Find recurring tickets, make or reuse one Problem per group and link the others as Incidents',
  schema: z.strictObject({ ticketId: z.number().int().positive().optional() }),
  writesToTenant: true,
  syncAllStage: 'chain',
  async handler(ctx) {
    const { client, entities: store } = ctx.scope;
    const settings = ctx.config.detection;
    await checkProblemSettings(client, settings.problem);
    if (ctx.data.ticketId !== undefined) {
      const fresh = await client.get('Tickets', ctx.data.ticketId, ctx.signal);
      if (fresh && !ctx.dryRun) await store.upsert('Tickets', [projectTicket(fresh)]);
    }
    const tickets = await store.all('Tickets');
    const detection = detectProblems({ tickets, ruleSets: settings.ruleSets,
      options: { linkCompleted: settings.linkCompleted, now: ctx.now() } });
    const focus = ctx.data.ticketId;
    const groups = detection.groups.filter((g) => g.newLinks.length > 0 && (focus === undefined || g.ticketIds.includes(focus)));

    const writes: ProblemWrite[] = [];
    const outcomes: GroupOutcome[] = [];
    for (const [index, group] of groups.entries()) {
      ctx.signal.throwIfAborted();
      outcomes.push(await writeProblemGroup({ client: client, store, settings, logger: ctx.logger.child({ group: group.groupKey }),
        dryRun: ctx.dryRun, signal: ctx.signal }, group, writes));
      await ctx.progress({ groups: index + 1, of: groups.length });
    }
    const created = outcomes.filter((o) => o.created).length;
    const linked = outcomes.reduce((n, o) => n + o.linked.length, 0);
    const verb = ctx.dryRun ? 'would write' : 'wrote';
    return {
      summary: `Problems: ${plural(detection.groups.length, 'group')}, ${groups.length} with new incidents; ${verb} ${plural(created, 'new problem')}` +
        `${ctx.dryRun ? '' : `, linked ${plural(linked, 'incident')}`}`,
      counts: { tickets: tickets.length, groups: detection.groups.length, groupsWithNewLinks: groups.length, problemsCreated: created,
        incidentsLinked: linked, writes: writes.length },
      groups: detection.groups.map((g) => ({ groupKey: g.groupKey, problemTicketId: outcomes.find((o) => o.groupKey === g.groupKey)?.problemTicketId ?? g.problemTicketId,
        ticketIds: g.ticketIds, newLinks: g.newLinks, reason: g.reason })),
      outcomes,
      writes,
    };
  },
});
