/**
 * One deployment of the product as an operator runs it, for the fault tests: a SYNC_CONFIG file with a unique
 * queue prefix, an invoice output directory, worker child processes (support/worker-process.ts) and the queue
 * commands (`trigger`, `dlq`) run through their real command functions. The test's own process only observes
 * the queue (BullMQ's Queue API) and cleans up its keys and files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import type { RedisSettings } from '../../../../config/redis.js';
import { dlqCommand } from '../../../../src/cli/dlq.js';
import { triggerCommand } from '../../../../src/cli/trigger.js';
import { JOBS_QUEUE } from '../../../../src/runtime/queues.js';
import type { RedisConnection } from '../../../../src/lib/redis-connection.js';
import { createRedis } from '../../../../src/runtime/redis.js';
import type { SandboxHandle } from '../../../../src/sandbox/index.js';
import { createFirstRunStore } from '../../../../src/store/first-run.js';
import { deleteDeploymentKeys } from '../../../../src/store/deployment-keys.js';
import { REDIS_URL, uniquePrefix } from '../../../helpers/redis.js';
import { WorkerProcess } from './worker-process.js';

export const ADMIN_TOKEN = 'fault-test-admin-token-0123456789';

export interface DeploymentOptions {
  label: string;
  sandbox: SandboxHandle;
  redisUrl?: string;
  /** A cluster or sentinel set instead of `redisUrl`; its variables (REDIS_CLUSTER_NODES…) go into `env` too. */
  redis?: { settings(): RedisSettings; env(): Record<string, string> };
  /** Merged into the SYNC_CONFIG file (queue.prefix is always the deployment's own). */
  file?: { queue?: Record<string, unknown>; autotask?: Record<string, unknown>; [section: string]: unknown };
  env?: Record<string, string>;
}

function capture(): { stream: { write(text: string): boolean }; text(): string } {
  const out: string[] = [];
  return { stream: { write: (text: string) => { out.push(text); return true; } }, text: () => out.join('') };
}

export class Deployment {
  readonly prefix: string;
  readonly dir: string;
  readonly invoiceDir: string;
  readonly redisUrl: string;
  readonly file: Record<string, unknown>;
  readonly env: Record<string, string>;
  private readonly workers: WorkerProcess[] = [];
  private queue: Queue | undefined;
  private checker: Worker | undefined;
  private readonly connections: RedisConnection[] = [];
  private readonly redisSettings: RedisSettings | string;

  constructor(options: DeploymentOptions) {
    this.prefix = uniquePrefix(options.label);
    this.redisUrl = options.redisUrl ?? REDIS_URL;
    this.redisSettings = options.redis?.settings() ?? this.redisUrl;
    this.dir = mkdtempSync(join(tmpdir(), `autotask-sync-${options.label}-`));
    this.invoiceDir = join(this.dir, 'invoices');
    this.file = {
      ...options.file,
      queue: { attempts: 5, backoffMs: 200, concurrency: 4, lockDurationMs: 5_000, shutdownGraceMs: 2_000, ...options.file?.queue, prefix: this.prefix },
      autotask: { retryMinMs: 20, retryMaxMs: 200, requestTimeoutMs: 3_000, slotLeaseMs: 4_000, ...options.file?.autotask },
    };
    const configPath = join(this.dir, 'sync.json');
    writeFileSync(configPath, JSON.stringify(this.file, null, 2));
    const { credentials } = options.sandbox;
    this.env = {
      AUTOTASK_USERNAME: credentials.username,
      AUTOTASK_SECRET: credentials.secret,
      AUTOTASK_INTEGRATION_CODE: credentials.integrationCode,
      AUTOTASK_BASE_URL: options.sandbox.url,
      REDIS_URL: this.redisUrl,
      SYNC_CONFIG: configPath,
      PORT: '0',
      ADMIN_TOKEN,
      INVOICE_OUTPUT_DIR: this.invoiceDir,
      LOG_LEVEL: 'info',
      ...options.redis?.env(),
      ...options.env,
    };
  }

  /** A Redis connection of the test's own (closed by close()). */
  connect(): RedisConnection {
    // The product's own connection factory: the test reaches Redis exactly as the workers do.
    const redis = createRedis(this.redisSettings, 'autotask-sync-test');
    this.connections.push(redis);
    return redis;
  }

  /** BullMQ's view of the deployment's jobs queue, for reading job states. */
  jobs(): Queue {
    this.queue ??= new Queue(JOBS_QUEUE, { connection: this.connect(), prefix: `{${this.prefix}}` });
    return this.queue;
  }

  /** These deployments are past their first day: writes go out (src/store/first-run.ts). */
  async confirm(): Promise<void> {
    await createFirstRunStore(this.connect(), this.prefix, 'default').confirm('fault test', new Date());
  }

  async startWorker(name = `worker-${this.workers.length + 1}`): Promise<WorkerProcess> {
    if (this.workers.length === 0) await this.confirm();
    const worker = await WorkerProcess.start(name, this.env);
    this.workers.push(worker);
    return worker;
  }

  allWorkers(): readonly WorkerProcess[] {
    return this.workers;
  }

  /** `autotask-sync trigger <job> --data <json>` with this deployment's settings; returns the job id. */
  async trigger(job: string, data: Record<string, unknown> = {}): Promise<string> {
    const stdout = capture();
    const stderr = capture();
    const code = await triggerCommand([job, '--data', JSON.stringify(data)], {
      stdout: stdout.stream, stderr: stderr.stream, loadOptions: { env: { ...this.env, LOG_LEVEL: 'warn' }, file: this.file },
    });
    if (code !== 0) throw new Error(`trigger ${job} exited ${code}: ${stderr.text()}`);
    return stdout.text().trim();
  }

  /** `autotask-sync dlq requeue --all`; returns the new job ids (none when the dead-letter queue is empty). */
  async requeueDeadLetters(): Promise<string[]> {
    const stdout = capture();
    const stderr = capture();
    const code = await dlqCommand(['requeue', '--all'], {
      stdout: stdout.stream, stderr: stderr.stream, loadOptions: { env: { ...this.env, LOG_LEVEL: 'warn' }, file: this.file },
    });
    if (code !== 0) throw new Error(`dlq requeue --all exited ${code}: ${stderr.text()}`);
    return stdout.text().split('\n').map((s) => s.trim()).filter((s) => /^\d+$/.test(s));
  }

  async jobState(id: string): Promise<{ state: string; failedReason?: string; attemptsMade: number; delay: number; timestamp: number }> {
    const job = await this.jobs().getJob(id);
    if (!job) return { state: 'missing', attemptsMade: 0, delay: 0, timestamp: 0 };
    return { state: await job.getState(), failedReason: job.failedReason, attemptsMade: job.attemptsMade, delay: job.delay,
      timestamp: job.timestamp };
  }

  /**
   * BullMQ's stalled-job check — how the product gets back a job whose worker died — run every second instead
   * of every 30 s (BullMQ's stalledInterval default, which the product keeps). Only the clock is shortened: it
   * is BullMQ's own check, with the product's maxStalledCount (1) and lock duration from the config.
   */
  async startStalledCheck(): Promise<void> {
    const queue = this.file.queue as { lockDurationMs: number };
    this.checker = new Worker(JOBS_QUEUE, null, { connection: this.connect(), prefix: `{${this.prefix}}`, autorun: false,
      stalledInterval: 1_000, maxStalledCount: 1, lockDuration: queue.lockDurationMs });
    this.checker.on('error', () => undefined);
    await this.checker.startStalledCheckTimer();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.kill('SIGKILL')));
    await this.checker?.close(true).catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    const redis = this.connections[0] ?? this.connect();
    try {
      if (redis.status === 'ready' || redis.status === 'connecting' || redis.status === 'connect') await deleteDeploymentKeys(redis, this.prefix);
    } finally {
      for (const connection of this.connections) connection.disconnect();
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
