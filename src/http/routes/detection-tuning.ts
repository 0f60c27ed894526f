/**
 * GET /api/detection/tuning[?tenant=]: the tenant's tune-detection results and which rules detect-problems uses
 * now (docs/problem-detection.md#tuning). Parse, call the command, answer.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerServices } from '../types.js';

const tenantQuery = { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

export function registerDetectionTuningRoutes(app: FastifyInstance, { commands }: ServerServices): void {
  app.get<{ Querystring: { tenant?: string } }>('/api/detection/tuning', { schema: { querystring: tenantQuery } },
    async (request) => commands.detectionTuning({ tenant: request.query.tenant }));
}
