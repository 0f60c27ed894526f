/**
 * Everything the worker reads, in one place: the environment variables of docs/contract.md#environment and the SYNC_CONFIG
 * file. Each file section lives in config/sections/ next to this file; `load.ts` is the only reader of
 * process.env and of the file, and it returns the resolved `AppConfig` that is passed down from the edge.
 */
import { z } from 'zod';
import { nodeList, type RedisSettings } from './redis.js';
import { autotaskSection } from './sections/autotask.js';
import { detectionSection } from './sections/detection.js';
import { httpSection } from './sections/http.js';
import { invoicesSection } from './sections/invoices.js';
import { pullSection } from './sections/pull.js';
import { queueSection } from './sections/queue.js';
import { schedulesSection } from './sections/schedules.js';
import { storeSection } from './sections/store.js';
import { tenantsSection } from './sections/tenants.js';
import { timeEntriesSection } from './sections/time-entries.js';

/** Autotask and the invoice sink are reached over HTTP(S) only; a file:, ftp: or javascript: URL is a config error. */
const httpUrl = () => z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

/** An empty variable means unset (compose files often pass `VAR=`), without hiding the message of a bad value. */
const emptyAsUnset = (value: unknown): unknown => (value === '' ? undefined : value);

const optionalString = z.string().trim().min(1).optional().or(z.literal('').transform(() => undefined));

export const envSchema = z.object({
  AUTOTASK_USERNAME: optionalString.describe('API user\'s user name (an API-only user; required for a real tenant)'),
  AUTOTASK_SECRET: optionalString.describe('API user\'s secret'),
  AUTOTASK_INTEGRATION_CODE: optionalString.describe('the tracking identifier (integration code) of the API user'),
  AUTOTASK_ZONE_URL: httpUrl().default('https://webservices.autotask.net/ATServicesRest/').describe('where zone discovery asks V1.0/zoneInformation?user='),
  AUTOTASK_BASE_URL: httpUrl().optional().or(z.literal('').transform(() => undefined)).describe('the tenant\'s REST root (…/ATServicesRest/); when set, zone discovery is skipped'),
  AUTOTASK_IMPERSONATION_RESOURCE_ID: z.string().regex(/^\d+$/, 'a resource id (digits)').optional()
    .or(z.literal('').transform(() => undefined)).describe('sent as ImpersonationResourceId on writes, so they appear as that resource'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').default('redis://127.0.0.1:6379').describe('Redis for queues, state and the shared rate limiter'),
  REDIS_CLUSTER_NODES: z.preprocess(emptyAsUnset, nodeList.optional()).describe('Redis Cluster seed nodes, comma-separated host:port (instead of REDIS_URL)'),
  REDIS_SENTINELS: z.preprocess(emptyAsUnset, nodeList.optional()).describe('Sentinels, comma-separated host:port (instead of REDIS_URL; with REDIS_SENTINEL_NAME)'),
  REDIS_SENTINEL_NAME: optionalString.describe('the master name the sentinels monitor (required with REDIS_SENTINELS)'),
  REDIS_SENTINEL_PASSWORD: optionalString.describe('AUTH password of the sentinels themselves, when they require one'),
  REDIS_PASSWORD: optionalString.describe('AUTH password of the Redis nodes (cluster, sentinel-watched or single)'),
  REDIS_TLS: z.enum(['0', '1', '']).default('0').transform((v) => v === '1').describe('1 = TLS to Redis (cluster and sentinel; a rediss:// REDIS_URL also does)'),
  SYNC_CONFIG: z.string().min(1).default('config/sync.json').describe('path of the rules/schedules config file (below); a path you set must exist'),
  // A bare worker answers only on this machine; a container sets 0.0.0.0 inside its own network namespace and
  // publishes the port where it chooses (docker-compose.yml publishes on 127.0.0.1).
  HOST: z.preprocess(emptyAsUnset, z.union([z.ipv4(), z.ipv6(), z.literal('localhost')],
    { error: 'an IPv4 or IPv6 address to listen on (e.g. 127.0.0.1, 0.0.0.0, ::) or localhost' }).default('127.0.0.1'))
    .describe('address the HTTP server listens on; 0.0.0.0 = every interface (containers)'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000).describe('HTTP server port (0 = any free port)'),
  // Empty = unset; only whitespace is refused (a token of spaces is a mistake in a .env file, not a secret).
  ADMIN_TOKEN: z.string().optional().transform((v) => (v === '' ? undefined : v))
    .pipe(z.string().refine((v) => v.trim() !== '', 'only whitespace; set a real token or leave it empty')
      .refine((v) => v.trim().length >= 16, 'at least 16 characters').transform((v) => v.trim()).optional()).describe('bearer token for /api/*, the dashboard and the console (16+ characters, not only whitespace); unset = those routes refuse every request'),
  AUTOTASK_WEBHOOK_SECRET: z.string().min(8, 'at least 8 characters').optional().or(z.literal('').transform(() => undefined)).describe('the default tenant\'s secret for verifying Autotask webhook signatures (other tenants: webhookSecretEnv); no tenant with a secret = webhook route disabled'),
  INVOICE_OUTPUT_DIR: z.string().min(1).default('./data/invoices').describe('file sink: one JSON document per invoice'),
  INVOICE_WEBHOOK_URL: httpUrl().optional().or(z.literal('').transform(() => undefined)).describe('HTTP sink: each invoice POSTed as JSON, signed, with an Idempotency-Key header'),
  INVOICE_WEBHOOK_SECRET: z.string().min(8, 'at least 8 characters').optional().or(z.literal('').transform(() => undefined)).describe('HMAC-SHA256 key of the HTTP sink\'s signature (required with INVOICE_WEBHOOK_URL)'),
  TRUST_PROXY: z.enum(['0', '1', '']).default('0').transform((v) => v === '1')
    .describe('1 = the worker sits behind a TLS-terminating reverse proxy: console cookies are Secure and X-Forwarded-Proto is believed'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
});

export const fileSchema = z.strictObject({
  $schema: z.string().optional(),
  tenants: tenantsSection,
  queue: queueSection,
  http: httpSection,
  autotask: autotaskSection,
  pull: pullSection,
  schedules: schedulesSection,
  invoices: invoicesSection,
  detection: detectionSection,
  timeEntries: timeEntriesSection,
  store: storeSection,
}).superRefine((file, ctx) => {
  // A ledger entry must outlive every retry of the job that wrote it: the automatic ones (exponential backoff) and a
  // person's retry of a failed job while the queue keeps it (docs/store-bounds.md#retention).
  const retentionSeconds = file.store.retentionDays * 86_400;
  const retrySeconds = (file.queue.backoffMs * (2 ** (file.queue.attempts - 1) - 1)) / 1000;
  if (retrySeconds >= retentionSeconds) {
    ctx.addIssue({ code: 'custom', path: ['store', 'retentionDays'], message: `must exceed the queue's retry horizon ` +
      `(${Math.ceil(retrySeconds / 86_400)} days from queue.attempts and queue.backoffMs)` });
  }
  if (file.queue.keepFailed.ageSeconds >= retentionSeconds) {
    ctx.addIssue({ code: 'custom', path: ['store', 'retentionDays'], message: `must exceed queue.keepFailed.ageSeconds ` +
      `(${Math.ceil(file.queue.keepFailed.ageSeconds / 86_400)} days: a failed job can be retried that long)` });
  }
});

export type EnvInput = z.infer<typeof envSchema>;
export type FileConfig = z.infer<typeof fileSchema>;

/** A tenant with its credentials resolved from the environment. */
export interface TenantConfig {
  id: string;
  username: string;
  secret: string;
  integrationCode: string;
  zoneUrl: string;
  baseUrl?: string;
  impersonationResourceId?: number;
  /**
   * This tenant's own Autotask webhook secret. `?tenant=` is not covered by the signature, so each tenant has its
   * own secret and a body signed for one tenant is refused by another (docs/autotask-samples.md, "Webhooks").
   */
  webhookSecret?: string;
}

export interface AppConfig {
  configPath: string;
  redisUrl: string;
  /** How to connect: one node, a cluster or through Sentinel (config/redis.ts). */
  redis: RedisSettings;
  /** HOST: the address the HTTP server listens on (default 127.0.0.1, this machine only). */
  host: string;
  port: number;
  logLevel: EnvInput['LOG_LEVEL'];
  adminToken?: string;
  /** TRUST_PROXY: a reverse proxy terminates TLS in front of us, so the console's cookies are always Secure. */
  trustProxy: boolean;
  webhookSecret?: string;
  invoiceOutputDir: string;
  invoiceWebhook?: { url: string; secret: string };
  /** Tenants whose credentials are complete. Empty when none is configured (e.g. `detect`, `sandbox`). */
  tenants: TenantConfig[];
  /** Every tenant id the config names ("default" and SYNC_CONFIG tenants), credentials set or not. */
  declaredTenantIds: string[];
  queue: FileConfig['queue'];
  http: FileConfig['http'];
  autotask: FileConfig['autotask'];
  pull: FileConfig['pull'];
  schedules: FileConfig['schedules'];
  invoices: FileConfig['invoices'];
  detection: FileConfig['detection'];
  timeEntries: FileConfig['timeEntries'];
  store: FileConfig['store'];
}
