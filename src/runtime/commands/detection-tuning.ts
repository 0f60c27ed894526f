/**
 * The detection-tuning command (GET /api/detection/tuning): the tenant's stored tune-detection results, newest
 * first, and which rules detect-problems runs with now (the tuned ones only when their held-out precision beats
 * the configured rules'; src/rules/detection-tuning.ts).
 */
import { chooseRuleSets } from '../../rules/detection-tuning.js';
import type { StoredTuning } from '../../store/detection-tuning.js';
import type { CommandContext } from './context.js';

export interface DetectionTuningView {
  tenant: string;
  /** What detect-problems uses now, and why. */
  inUse: { source: 'tuned' | 'defaults'; ruleSets: string[]; reason: string };
  /** Newest first; at most a few are kept. */
  results: StoredTuning[];
}

export interface DetectionTuningCommands {
  detectionTuning(request: { tenant?: string | undefined }): Promise<DetectionTuningView>;
}

export function createDetectionTuningCommands(ctx: CommandContext): DetectionTuningCommands {
  return {
    async detectionTuning({ tenant }) {
      const scope = ctx.services.tenants.get(ctx.services.tenants.resolve(tenant));
      const results = await scope.detectionTuning.list();
      const choice = chooseRuleSets(ctx.services.config.detection.ruleSets, results[0] ?? null);
      return { tenant: scope.tenant.id, inUse: { source: choice.source, ruleSets: choice.ruleSets.map((r) => r.name), reason: choice.reason }, results };
    },
  };
}
