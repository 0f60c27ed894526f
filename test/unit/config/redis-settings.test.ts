import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.js';
import { describeRedis } from '../../../config/redis.js';
import { ConfigError } from '../../../src/lib/errors.js';
import { redactText } from '../../../src/lib/redact.js';

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ env, file: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('Redis connection settings', () => {
  it('is one node at REDIS_URL by default, TLS when the URL is rediss://', () => {
    expect(loadConfig({ env: {}, file: {} }).redis).toEqual({ mode: 'single', url: 'redis://127.0.0.1:6379', tls: false });
    expect(loadConfig({ env: { REDIS_URL: 'rediss://r.example:6380' }, file: {} }).redis).toMatchObject({ mode: 'single', tls: true });
  });

  it('reads a cluster from REDIS_CLUSTER_NODES with the password and TLS', () => {
    const config = loadConfig({ env: { REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b.internal:7001,[::1]:7002', REDIS_PASSWORD: 'cluster-pass-1', REDIS_TLS: '1' }, file: {} });
    expect(config.redis).toEqual({ mode: 'cluster', tls: true, password: 'cluster-pass-1',
      nodes: [{ host: '10.0.0.1', port: 7000 }, { host: 'redis-b.internal', port: 7001 }, { host: '::1', port: 7002 }] });
    expect(describeRedis(config.redis)).toBe('cluster 10.0.0.1:7000,redis-b.internal:7001,::1:7002');
    expect(redactText('AUTH cluster-pass-1')).not.toContain('cluster-pass-1');
  });

  it('reads sentinels with the master name', () => {
    const config = loadConfig({ env: { REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'mymaster' }, file: {} });
    expect(config.redis).toEqual({ mode: 'sentinel', name: 'mymaster', tls: false,
      sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }] });
  });

  it('names the variable of every bad or missing setting', () => {
    expect(issuesOf({ REDIS_CLUSTER_NODES: '10.0.0.1' }).join('\n')).toMatch(/^REDIS_CLUSTER_NODES: "10.0.0.1" is not host:port/m);
    expect(issuesOf({ REDIS_CLUSTER_NODES: 'a:70000' }).join('\n')).toMatch(/^REDIS_CLUSTER_NODES:/m);
    expect(issuesOf({ REDIS_SENTINELS: 's1:26379' }).join('\n')).toMatch(/^REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/m);
    expect(issuesOf({ REDIS_SENTINEL_NAME: 'mymaster' }).join('\n')).toMatch(/^REDIS_SENTINELS: required/m);
    expect(issuesOf({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm' }).join('\n'))
      .toMatch(/^REDIS_CLUSTER_NODES, REDIS_SENTINELS: set one of them/m);
    expect(issuesOf({ REDIS_TLS: 'yes' }).join('\n')).toMatch(/^REDIS_TLS:/m);
  });
});
