/** What the routes are given; its own module so routes and the server that registers them do not import each other. */
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/schema.js';
import type { Logger } from '../lib/logger.js';
import type { RuntimeCommands } from '../runtime/commands/index.js';
import type { RuntimeQueues } from '../runtime/queues.js';
import type { RuntimeMetrics } from './metrics.js';

/** What routes get: the runtime's commands (their only way to queues, stores and Autotask) and the config. */
export interface ServerServices {
  commands: RuntimeCommands;
  config: AppConfig;
  logger: Logger;
  /** For the dashboard only (bull-board reads the queues itself). */
  queues: Pick<RuntimeQueues, 'jobs' | 'deadLetters'>;
  metrics: RuntimeMetrics;
}

/** A later issue's routes: registered in the API scope (guarded by ADMIN_TOKEN under /api/*, body rule applies). */
export type ExtraRoute = (app: FastifyInstance, services: ServerServices) => void | Promise<void>;

