/** GET /healthz (the process runs) and GET /readyz (Redis and every tenant's Autotask answer; 503 with reasons). */
import type { FastifyInstance } from 'fastify';
import type { RuntimeCommands } from '../../runtime/commands/index.js';

export function registerHealthRoutes(app: FastifyInstance, commands: Pick<RuntimeCommands, 'readiness'>): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const report = await commands.readiness();
    const reasons = Object.entries(report.checks).filter(([, c]) => !c.ok).map(([name, c]) => `${name}: ${c.reason ?? 'not ready'}`);
    return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'unavailable', checks: report.checks,
      ...(reasons.length ? { reason: reasons.join('; ') } : {}) });
  });
}
