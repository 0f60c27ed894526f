/**
 * Child process of crash.test.ts: takes every slot of one endpoint with a short lease, says so on stdout, then
 * hangs until it is killed (SIGKILL: no finally, no release — exactly what a crashed worker leaves behind).
 * argv: keyPrefix tenantId endpoint slots leaseMs
 */
import { createRedisGovernor } from '../../../src/autotask/governor.js';
import { tenantKeys } from '../../../src/store/keys.js';
import { connectRedis } from '../../helpers/redis.js';
import { settings } from './support.js';

const [keyPrefix = '', tenantId = '', endpoint = '', slots = '3', leaseMs = '3000'] = process.argv.slice(2);
const governor = createRedisGovernor({ redis: connectRedis(), keys: tenantKeys(keyPrefix, tenantId), tenantId,
  settings: settings({ threadsPerEndpoint: Number(slots), slotLeaseMs: Number(leaseMs) }) });
for (let i = 0; i < Number(slots); i++) await governor.acquire(endpoint);
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
