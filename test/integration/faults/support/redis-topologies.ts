/**
 * Real Redis topologies for the scale-out tests and test/bench/redis-topologies.ts, each a set of child
 * `redis-server` processes on free ports in one temporary directory: one node (the bench's baseline), a 3-master
 * Redis Cluster joined with `redis-cli --cluster create`, and a master with one replica watched by one sentinel. `stop()` kills every process and removes the directory; the tests call
 * it in afterAll, and a start that fails part-way stops what it already started.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { RedisSettings } from '../../../../config/redis.js';
import { RedisServer } from './redis-server.js';
import { poll } from './wait.js';

const run = promisify(execFile);

/** Why the topology tests cannot run here, or undefined when redis-server and redis-cli are on the PATH. */
export function missingRedisBinaries(): string | undefined {
  for (const binary of ['redis-server', 'redis-cli']) {
    try {
      execFileSync(binary, ['--version'], { stdio: 'ignore' });
    } catch {
      return `${binary} is not installed (apt-get install redis-server); the Redis Cluster and Sentinel tests are skipped`;
    }
  }
  return undefined;
}

async function probe<T>(port: number, ask: (redis: Redis) => Promise<T>): Promise<T | undefined> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await ask(redis);
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/** What a data node has served since it started (INFO stats), for the bench's round-trip counts. */
export interface ServedCounts {
  /** Read events on client sockets: one per request or pipelined batch a client sent, i.e. about one per round trip. */
  reads: number;
  /** Commands executed, those run inside Lua scripts included. */
  commands: number;
}

export async function servedCounts(port: number): Promise<ServedCounts> {
  const info = await probe(port, (r) => r.info('stats'));
  const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info ?? '')?.[1] ?? Number.NaN);
  return { reads: field('total_reads_processed'), commands: field('total_commands_processed') };
}

export abstract class Topology {
  protected readonly servers: RedisServer[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'autotask-sync-topology-'));

  protected async add(options: Parameters<typeof RedisServer.start>[1]): Promise<RedisServer> {
    const server = await RedisServer.start(false, { ...options, dir: this.dir });
    this.servers.push(server);
    return server;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The environment an operator sets for this topology. */
  abstract env(): Record<string, string>;

  abstract settings(): RedisSettings;

  /** The nodes that serve the product's commands (the masters). */
  abstract dataPorts(): number[];

  /** What the data nodes have served so far, summed. */
  async served(): Promise<ServedCounts> {
    const counts = await Promise.all(this.dataPorts().map(servedCounts));
    return counts.reduce((sum, c) => ({ reads: sum.reads + c.reads, commands: sum.commands + c.commands }), { reads: 0, commands: 0 });
  }
}

/** One plain node of the topology's own (the baseline the bench compares the others with). */
export class SingleRedisServer extends Topology {
  server!: RedisServer;

  static async start(): Promise<SingleRedisServer> {
    const single = new SingleRedisServer();
    try {
      single.server = await single.add({});
    } catch (error) {
      await single.stop();
      throw error;
    }
    return single;
  }

  env(): Record<string, string> {
    return { REDIS_URL: this.server.url };
  }

  settings(): RedisSettings {
    return { mode: 'single', url: this.server.url, tls: false };
  }

  dataPorts(): number[] {
    return [this.server.port];
  }
}

export class RedisClusterServers extends Topology {
  static async start(masters = 3): Promise<RedisClusterServers> {
    const cluster = new RedisClusterServers();
    try {
      for (let i = 0; i < masters; i++) {
        await cluster.add({ args: (port) => ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`,
          '--cluster-node-timeout', '2000'] });
      }
      await run('redis-cli', ['--cluster', 'create', ...cluster.addresses(), '--cluster-replicas', '0', '--cluster-yes']);
      // `create` returns once the slots are assigned; every node must also agree that the cluster is up.
      await poll(async () => {
        const states = await Promise.all(cluster.servers.map((s) => probe(s.port, (r) => r.cluster('INFO') as Promise<string>)));
        return states.every((info) => info?.includes('cluster_state:ok')) ? true : undefined;
      }, 20_000, 'cluster_state:ok on every node');
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  addresses(): string[] {
    return this.servers.map((s) => `127.0.0.1:${s.port}`);
  }

  env(): Record<string, string> {
    return { REDIS_CLUSTER_NODES: this.addresses().join(',') };
  }

  settings(): RedisSettings {
    return { mode: 'cluster', nodes: this.servers.map((s) => ({ host: '127.0.0.1', port: s.port })), tls: false };
  }

  dataPorts(): number[] {
    return this.servers.map((s) => s.port);
  }

  /** How many keys each master holds (the data really is spread over the cluster). */
  async keysPerNode(): Promise<number[]> {
    return Promise.all(this.servers.map(async (s) => (await probe(s.port, (r) => r.dbsize())) ?? 0));
  }
}

export const SENTINEL_MASTER = 'autotask-sync-test';

export class SentinelServers extends Topology {
  master!: RedisServer;
  replica!: RedisServer;
  sentinel!: RedisServer;

  static async start(): Promise<SentinelServers> {
    const set = new SentinelServers();
    try {
      set.master = await set.add({});
      set.replica = await set.add({ args: () => ['--replicaof', '127.0.0.1', String(set.master.port)] });
      await poll(async () => ((await probe(set.replica.port, (r) => r.info('replication')))?.includes('master_link_status:up') ? true : undefined),
        20_000, 'the replica to sync with its master');
      // Quorum 1 and a 1 s down-after: one sentinel may decide the failover alone, soon after the master dies.
      set.sentinel = await set.add({
        configFile: (port, dir) => [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
          `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${set.master.port} 1`,
          `sentinel down-after-milliseconds ${SENTINEL_MASTER} 1000`,
          `sentinel failover-timeout ${SENTINEL_MASTER} 5000`, ''].join('\n'),
        args: () => ['--sentinel'],
      });
      await poll(async () => ((await probe(set.sentinel.port, (r) => r.call('SENTINEL', 'REPLICAS', SENTINEL_MASTER) as Promise<unknown[]>))?.length
        ? true : undefined), 20_000, 'the sentinel to discover the replica');
    } catch (error) {
      await set.stop();
      throw error;
    }
    return set;
  }

  env(): Record<string, string> {
    return { REDIS_SENTINELS: `127.0.0.1:${this.sentinel.port}`, REDIS_SENTINEL_NAME: SENTINEL_MASTER };
  }

  settings(): RedisSettings {
    return { mode: 'sentinel', sentinels: [{ host: '127.0.0.1', port: this.sentinel.port }], name: SENTINEL_MASTER, tls: false };
  }

  /** The master (the replica only applies the master's replication stream). */
  dataPorts(): number[] {
    return [this.master.port];
  }

  /** The port of the master the sentinel currently names. */
  async currentMasterPort(): Promise<number | undefined> {
    const answer = await probe(this.sentinel.port, (r) => r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER) as Promise<string[]>);
    return answer ? Number(answer[1]) : undefined;
  }
}
