/**
 * `tune-detection` (issue 15, item 3; docs/problem-detection.md#tuning): learns problem-detection rules from the
 * tenant's own links over its stored tickets (sync-tickets fills them). Tickets with equal problemTicketId are the
 * truth; the earlier 70% by createDate are learnt on, the later 30% scored. The result (rules, held-out figures
 * next to the configured rules and the sweep's best fixed rule, date) is kept per tenant; detect-problems uses the
 * tuned rules only when their held-out precision beats the configured rules' (src/rules/detection-tuning.ts).
 * Writes nothing to Autotask, so it takes no tenant lease.
 */
import { z } from 'zod';
import { labelsFromLinks, tuneDetection } from '../src/rules/detection-tuning.js';
import { defineJob } from './define-job.js';
import { plural } from '../src/lib/plural.js';

export const tuneDetectionJob = defineJob({
  name: 'tune-detection',
  description: 'Learn problem-detection rules from the tenant\'s own Problem links and keep them with their held-out figures',
  schema: z.strictObject({}),
  writesToTenant: false,
  async handler(ctx) {
    const tickets = await ctx.scope.entities.all('Tickets');
    const gold = labelsFromLinks(tickets);
    const result = tuneDetection({ tickets, gold, defaults: ctx.config.detection.ruleSets });
    const at = ctx.now().toISOString();
    if (!ctx.dryRun) await ctx.scope.detectionTuning.record({ ...result, at, tickets: tickets.length });
    const held = result.heldOut;
    const figures = held
      ? `held-out F1 tuned ${held.tuned.f1.toFixed(3)} / configured ${held.defaults.f1.toFixed(3)} / sweep ${held.sweep.f1.toFixed(3)}, `
        + `precision ${held.tuned.precision.toFixed(3)} / ${held.defaults.precision.toFixed(3)}`
      : result.reason;
    return {
      summary: `tune-detection: ${plural(tickets.length, 'ticket')}, ${gold.size} linked; ${figures}${ctx.dryRun ? ' (not stored: dry run)' : ''}`,
      counts: { tickets: tickets.length, labelled: gold.size, learn: result.split.learn, holdout: result.split.holdout, candidates: result.candidates },
      tuning: { ...result, at },
    };
  },
});
