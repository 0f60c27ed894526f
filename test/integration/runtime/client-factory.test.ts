/**
 * The product's Autotask services serve every tenant of a deployment. Their one stop signal (cutting, at process
 * stop, the reads nobody waits for) must not gain a listener per tenant: past ten, Node warns of a leak on every
 * start of a deployment with many tenants.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.js';
import { createAutotaskServices } from '../../../src/app/client-factory.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

const prefix = uniquePrefix('client-factory');
const redis = connectRedis();
afterAll(async () => { await cleanPrefix(redis, prefix); await redis.quit(); });

describe('the product\'s Autotask services', () => {
  it('give clients to many tenants without a listener-leak warning', async () => {
    const config = loadConfig({
      env: { REDIS_URL, AUTOTASK_USERNAME: 'api@example.com', AUTOTASK_SECRET: 'secret-value', AUTOTASK_INTEGRATION_CODE: 'CODE',
        AUTOTASK_ZONE_URL: 'https://webservices5.autotask.net/ATServicesRest/' },
      file: { queue: { prefix } },
      requireTenant: true,
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => { warnings.push(`${warning.name}: ${warning.message}`); };
    process.on('warning', onWarning);
    const services = createAutotaskServices(config, silentLogger());
    try {
      for (let i = 0; i < 15; i += 1) services.factory({ ...config.tenants[0]!, id: `tenant-${i}` }, redis);
      // process.emitWarning reports on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      await services.close();
      process.off('warning', onWarning);
    }
  });
});
