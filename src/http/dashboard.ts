/**
 * bull-board at /admin/queues (behind ADMIN_TOKEN, see auth.ts): the jobs queue, and the dead-letter queue
 * read-only (its entries are requeued through `dlq requeue` or POST /api/dead-letters/{id}/requeue, which
 * validate the data again).
 */
import { createBullBoard } from '@bull-board/api';
import type { IServerAdapter } from '@bull-board/api/typings/app';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { RuntimeQueues } from '../runtime/queues.js';
import { DASHBOARD_PATH } from './auth.js';

const FULL_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
  minute: '2-digit', second: '2-digit', timeZoneName: 'short' };

export async function registerDashboard(app: FastifyInstance, queues: Pick<RuntimeQueues, 'jobs' | 'deadLetters'>): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: [
      new BullMQAdapter(queues.jobs, { displayName: 'jobs', description: 'every job of every tenant' }),
      new BullMQAdapter(queues.deadLetters, {
        displayName: 'dead letters', readOnlyMode: true,
        description: 'jobs that used up their attempts; requeue with `autotask-sync dlq requeue <id>`',
      }),
    ],
    // @bull-board/fastify pins its own copy of @bull-board/api; the adapter contract is the same, only the
    // private fields of the two copies' declarations differ.
    serverAdapter: serverAdapter as unknown as IServerAdapter,
    // Every time with its date and time zone: "14:02" on a board read across zones (and days) says too little.
    options: { uiConfig: { boardTitle: 'autotask-sync', dateFormats: { short: FULL_TIME, common: FULL_TIME, full: FULL_TIME } } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
}
