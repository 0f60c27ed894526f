/**
 * What a worker checks against each tenant when it starts taking jobs: the Problem template must fit the tenant's
 * Tickets metadata and picklists (src/push/problems.ts checkProblemSettings, the check detect-problems runs before
 * its first write). A template that does not fit is logged at start naming the field, not found hours later inside
 * a scheduled run. Nothing here stops the start: Autotask may be down, and the other jobs need no template.
 */
import { AppError, errorMessage } from '../lib/errors.js';
import { checkProblemSettings } from '../push/problems.js';
import type { RuntimeServices } from './services.js';

export type StartCheckOutcome = { tenant: string; ok: true } | { tenant: string; ok: false; code: string; message: string };

export async function checkTenantsAtStart(services: RuntimeServices, signal: AbortSignal): Promise<StartCheckOutcome[]> {
  const log = services.logger.child({ component: 'start-checks' });
  const outcomes: StartCheckOutcome[] = [];
  for (const id of services.tenants.ids) {
    if (signal.aborted) break;
    try {
      await checkProblemSettings(services.tenants.get(id).client, services.config.detection.problem, signal);
      outcomes.push({ tenant: id, ok: true });
      log.info({ tenant: id }, 'the Problem template fits the tenant\'s Tickets metadata and picklists');
    } catch (error) {
      if (signal.aborted) break;
      const code = error instanceof AppError ? error.code : 'UNKNOWN';
      const message = errorMessage(error);
      outcomes.push({ tenant: id, ok: false, code, message });
      if (code === 'DETECTION_PROBLEM_SETTINGS') {
        log.warn({ tenant: id, code }, `${message} — detect-problems will refuse to write until it is fixed (autotask-sync doctor shows every check)`);
      } else {
        log.info({ tenant: id, err: message }, 'could not check the Problem template at start; detect-problems checks it again before writing');
      }
    }
  }
  return outcomes;
}
