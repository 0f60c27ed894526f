/**
 * GET /healthz (the process runs) and GET /readyz (started, Redis answers, and at least one tenant's Autotask answers;
 * 503 with reasons; tenants that do not answer while others do are listed as `degraded` with 200).
 */
import type { FastifyInstance } from 'fastify';
import type { RuntimeCommands } from '../../runtime/commands/index.js';

export function registerHealthRoutes(app: FastifyInstance, commands: Pick<RuntimeCommands, 'readiness'>): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const report = await commands.readiness();
    const reasons = Object.entries(report.checks).filter(([, c]) => !c.ok).map(([name, c]) => `${name}: ${c.reason ?? 'not ready'}`);
    const status = !report.ready ? 'unavailable' : report.degraded.length > 0 ? 'degraded' : 'ready';
    return reply.code(report.ready ? 200 : 503).send({ status, checks: report.checks,
      ...(report.degraded.length ? { degraded: report.degraded } : {}),
      ...(reasons.length ? { reason: reasons.join('; ') } : {}) });
  });
}
