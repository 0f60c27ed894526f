/**
 * Issue 18, trap 6: a test that passed its own `queue` settings to the product helper lost the helper's unique key
 * prefix and ran on the shared default prefix (`autotask-sync`) of the developer's Redis. The helper merges now.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../../helpers/product.js';
import { connectRedis } from '../../helpers/redis.js';

describe('startProduct keeps its unique prefix', () => {
  let p: Product | undefined;
  afterEach(async () => { await p?.close(); p = undefined; });

  it('a test\'s own queue settings are merged, not swapped for the default prefix', async () => {
    p = await startProduct({ worker: false, file: { queue: { concurrency: 2 } } });
    expect(p.config.queue.concurrency).toBe(2);
    expect(p.config.queue.prefix).not.toBe('autotask-sync');
    expect(p.config.queue.prefix).toMatch(/^t-p-/);
    const prefix = p.config.queue.prefix;
    await p.close();
    p = undefined;
    const redis = connectRedis();
    try {
      // close() cleans the prefix the product really used.
      expect(await redis.keys(`*${prefix}*`)).toEqual([]);
    } finally { await redis.quit(); }
  });
});
