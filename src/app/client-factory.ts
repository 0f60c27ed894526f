/**
 * The real per-tenant services: one Redis-backed rate governor per tenant (threads per endpoint and the hourly
 * budget, shared by every process) and the Autotask client that goes through it. The one place where the
 * product wires them; tests pass their own factory to createTenantServices instead.
 */
import type { AppConfig } from '../../config/schema.js';
import { createAutotaskClient } from '../autotask/index.js';
import { createAxiosTransport } from '../autotask/transport.js';
import { createRedisGovernor, type RedisGovernor } from '../autotask/governor.js';
import type { Logger } from '../lib/logger.js';
import { tenantKeys } from '../store/keys.js';
import type { AutotaskClientFactory } from '../runtime/tenant-services.js';

export interface AutotaskServices {
  factory: AutotaskClientFactory;
  /** Releases what the governors hold (slot leases, waiters); before the Redis connection closes. */
  close(): Promise<void>;
}

export function createAutotaskServices(config: AppConfig, logger: Logger): AutotaskServices {
  const governors: RedisGovernor[] = [];
  const stop = new AbortController();
  // One transport for every tenant (it holds no tenant state: each request carries its own headers), so the stop
  // signal has one listener however many tenants the deployment serves.
  const transport = createAxiosTransport({ timeoutMs: config.autotask.requestTimeoutMs, stop: stop.signal });
  return {
    factory: (tenant, redis) => {
      const governor = createRedisGovernor({ redis, keys: tenantKeys(config.queue.prefix, tenant.id), tenantId: tenant.id,
        settings: config.autotask, logger });
      governors.push(governor);
      return createAutotaskClient({ tenant, settings: config.autotask, governor, logger, transport });
    },
    async close() {
      // The governors first: a slot still held is a request in flight, and is given back with its cooling. Then
      // the reads nobody waits for any more (a stopped job left them running so their slots stayed held) are cut,
      // so they do not keep the process alive until Autotask answers them.
      await Promise.allSettled(governors.map((g) => g.close()));
      stop.abort(new DOMException('the process is stopping', 'AbortError'));
    },
  };
}
