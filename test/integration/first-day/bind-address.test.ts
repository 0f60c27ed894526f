/**
 * A bare `worker` answers on this machine only (HOST defaults to 127.0.0.1): the admin API, the console and the
 * webhook route are not on every interface of an MSP's server unless someone says so (HOST=0.0.0.0, as the
 * compose file does inside its containers).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { workerCommand } from '../../../src/cli/worker.js';
import type { Runtime } from '../../../src/app/process.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';
import { CREDS, noHttpClientFactory, probeJob, registryOf, startTestRuntime, testConfig } from '../runtime/support.js';

const registry = registryOf([probeJob('sync-tickets').definition]);
const prefixes: string[] = [];
const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
  const redis = connectRedis();
  for (const prefix of prefixes.splice(0)) await cleanPrefix(redis, prefix);
  await redis.quit();
});

async function listening(env: Record<string, string>): Promise<AddressInfo> {
  const config = testConfig({ env });
  prefixes.push(config.queue.prefix);
  const runtime = await startTestRuntime(config, registry, { http: { port: 0 }, worker: false, schedules: false });
  runtimes.push(runtime);
  return runtime.server!.server.address() as AddressInfo;
}

describe('HTTP bind address', () => {
  it('listens on 127.0.0.1 when HOST is unset', async () => {
    expect((await listening({})).address).toBe('127.0.0.1');
  });

  it('listens where HOST says', async () => {
    expect((await listening({ HOST: '0.0.0.0' })).address).toBe('0.0.0.0');
  });

  it('the worker command logs the address it listens on', async () => {
    const prefix = uniquePrefix('bind');
    prefixes.push(prefix);
    let out = '';
    const code = await workerCommand([], { registry, clientFactory: noHttpClientFactory().factory, extraRoutes: [],
      stdout: { write: (s: string) => { out += s; return true; } }, stderr: { write: () => true }, stopSignal: Promise.resolve(),
      loadOptions: { env: { ...CREDS, REDIS_URL, PORT: '0', LOG_LEVEL: 'info' }, file: { queue: { prefix } } } });
    expect(code).toBe(0);
    const line = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; host?: string })
      .find((l) => l.msg === 'http server listening');
    expect(line?.host).toBe('127.0.0.1');
  });
});
