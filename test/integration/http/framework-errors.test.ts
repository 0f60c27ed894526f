import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../../helpers/product.js';

let p: Product;
beforeAll(async () => { p = await startProduct({ worker: false }); });
afterAll(async () => { await p?.close(); });

describe('router-level refusals', () => {
  it('an over-long path parameter gets the project error shape, names params and does not echo the path', async () => {
    const long = 'x'.repeat(300);
    for (const path of [`/api/jobs/${long}`, `/api/stopwatches/${long}`, `/api/dead-letters/${long}/requeue`]) {
      const method = path.endsWith('/requeue') ? 'POST' : 'GET';
      const answer = await p.api(method, path);
      expect(answer.status, path).toBe(414);
      expect(answer.body).toEqual({ error: 'INPUT_INVALID', message: 'params: a path parameter is longer than 100 characters' });
    }
  });
});
