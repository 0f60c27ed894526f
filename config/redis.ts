/**
 * How the process reaches Redis: one node (`REDIS_URL`), a Redis Cluster (`REDIS_CLUSTER_NODES`) or a master
 * found through Sentinel (`REDIS_SENTINELS` + `REDIS_SENTINEL_NAME`). Parsed here, once, from the environment
 * values `load.ts` validated; src/runtime/redis.ts turns the result into a connection.
 */
import { z } from 'zod';

export interface RedisNode {
  host: string;
  port: number;
}

interface RedisAuth {
  /** AUTH password of the data nodes (REDIS_PASSWORD); a password in REDIS_URL also works for one node. */
  password?: string;
  /** TLS to the data nodes (REDIS_TLS=1, or a rediss:// URL). */
  tls: boolean;
}

export type RedisSettings =
  | ({ mode: 'single'; url: string } & RedisAuth)
  | ({ mode: 'cluster'; nodes: RedisNode[] } & RedisAuth)
  | ({ mode: 'sentinel'; sentinels: RedisNode[]; name: string; sentinelPassword?: string } & RedisAuth);

const HOST_PORT = /^(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(?<port>\d{1,5})$/;

/** `host:port,host:port` → nodes; the message names what is wrong with the first bad entry. */
export const nodeList = z.string().trim().min(1).transform((value, ctx) => {
  const nodes: RedisNode[] = [];
  for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = HOST_PORT.exec(entry);
    const port = Number(match?.groups?.port);
    if (!match?.groups || port < 1 || port > 65_535) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not host:port (comma-separated host:port list)` });
      return z.NEVER;
    }
    nodes.push({ host: match.groups.host!.replace(/^\[|\]$/g, ''), port });
  }
  if (nodes.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'a comma-separated host:port list' });
    return z.NEVER;
  }
  return nodes;
});

export interface RedisEnv {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: RedisNode[];
  REDIS_SENTINELS?: RedisNode[];
  REDIS_SENTINEL_NAME?: string;
  REDIS_SENTINEL_PASSWORD?: string;
  REDIS_PASSWORD?: string;
  REDIS_TLS: boolean;
}

/** The one connection mode the environment asks for, or the problems (each naming its variable). */
export function resolveRedisSettings(env: RedisEnv): { settings: RedisSettings; problems: string[] } {
  const problems: string[] = [];
  const auth: RedisAuth = { ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}), tls: env.REDIS_TLS };
  if (env.REDIS_CLUSTER_NODES && env.REDIS_SENTINELS) {
    problems.push('REDIS_CLUSTER_NODES, REDIS_SENTINELS: set one of them (a cluster or a sentinel-watched master), not both');
  }
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
    problems.push('REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the master name the sentinels monitor)');
  }
  if (env.REDIS_SENTINEL_NAME && !env.REDIS_SENTINELS) {
    problems.push('REDIS_SENTINELS: required with REDIS_SENTINEL_NAME (comma-separated host:port of the sentinels)');
  }
  if (env.REDIS_CLUSTER_NODES) return { settings: { mode: 'cluster', nodes: env.REDIS_CLUSTER_NODES, ...auth }, problems };
  if (env.REDIS_SENTINELS) {
    return { settings: { mode: 'sentinel', sentinels: env.REDIS_SENTINELS, name: env.REDIS_SENTINEL_NAME ?? '',
      ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}), ...auth }, problems };
  }
  return { settings: { mode: 'single', url: env.REDIS_URL, ...auth, tls: env.REDIS_TLS || env.REDIS_URL.startsWith('rediss://') },
    problems };
}

/** Where Redis is, for a log line or an error message (no password). */
export function describeRedis(settings: RedisSettings): string {
  const list = (nodes: RedisNode[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  switch (settings.mode) {
    case 'single': return settings.url.replace(/\/\/[^@/]*@/, '//');
    case 'cluster': return `cluster ${list(settings.nodes)}`;
    case 'sentinel': return `sentinel ${settings.name} via ${list(settings.sentinels)}`;
  }
}
