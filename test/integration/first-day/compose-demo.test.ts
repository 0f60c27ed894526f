/**
 * The compose demo confirms itself as `autotask-sync demo` does: its one-off `demo-confirm` service runs the
 * command line of docker-compose.yml with the demo worker's environment, and the demo worker then finds its
 * tenant confirmed, under the demo's own prefix and nowhere else.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { confirmCommand } from '../../../src/cli/confirm.js';
import { createFirstRunStore } from '../../../src/store/first-run.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
interface Service { command: string[]; environment: Record<string, string> }
const services = (parse(read('docker-compose.yml')) as { services: Record<string, Service> }).services;

const prefixes: string[] = [];
afterEach(async () => {
  const redis = connectRedis();
  for (const prefix of prefixes.splice(0)) await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('compose demo-confirm', () => {
  it('confirms the demo tenant under the demo config, and not the tenant worker\'s', async () => {
    const confirm = services['demo-confirm']!;
    const demoFile = JSON.parse(read(confirm.environment.SYNC_CONFIG!.replace('/app/', ''))) as { queue: { prefix: string } };
    // The demo's own prefix, made unique for this test; the tenant worker's stands beside it.
    const demoPrefix = uniquePrefix(`${demoFile.queue.prefix}-compose`);
    const tenantPrefix = uniquePrefix('autotask-sync-compose');
    prefixes.push(demoPrefix, tenantPrefix);
    const env = { ...confirm.environment, REDIS_URL, LOG_LEVEL: 'silent' };
    delete (env as Record<string, string | undefined>).SYNC_CONFIG;
    let err = '';
    const code = await confirmCommand(confirm.command.slice(1), {
      stdout: { write: () => true }, stderr: { write: (s: string) => { err += s; } },
      loadOptions: { env, file: { ...demoFile, queue: { ...demoFile.queue, prefix: demoPrefix } } },
    });
    expect(code, err).toBe(0);
    const redis = connectRedis();
    try {
      const demo = await createFirstRunStore(redis, demoPrefix, 'default').state();
      expect(demo).toMatchObject({ confirmed: true, confirmedBy: 'compose demo (built-in sandbox)' });
      expect(await createFirstRunStore(redis, tenantPrefix, 'default').isConfirmed()).toBe(false);
    } finally {
      await redis.quit();
    }
  });
});
