/**
 * Tests that exercise writes start from a confirmed tenant, as an installation past its first day does
 * (src/store/first-run.ts). The first-run tests themselves leave tenants unconfirmed.
 */
import { createFirstRunStore } from '../../src/store/first-run.js';
import { connectRedis } from './redis.js';

export async function confirmTenants(keyPrefix: string, tenantIds: readonly string[]): Promise<void> {
  const redis = connectRedis();
  try {
    for (const id of tenantIds) await createFirstRunStore(redis, keyPrefix, id).confirm('test', new Date());
  } finally {
    await redis.quit();
  }
}
