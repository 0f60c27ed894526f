/**
 * Everything the worker reads, in one place: the environment variables of INTERFACE.md and the SYNC_CONFIG
 * file. Each file section lives in config/sections/ next to this file; `load.ts` is the only reader of
 * process.env and of the file, and it returns the resolved `AppConfig` that is passed down from the edge.
 */
import { z } from 'zod';
import { autotaskSection } from './sections/autotask.js';
import { detectionSection } from './sections/detection.js';
import { invoicesSection } from './sections/invoices.js';
import { pullSection } from './sections/pull.js';
import { queueSection } from './sections/queue.js';
import { schedulesSection } from './sections/schedules.js';
import { tenantsSection } from './sections/tenants.js';
import { timeEntriesSection } from './sections/time-entries.js';

const optionalString = z.string().trim().min(1).optional().or(z.literal('').transform(() => undefined));

export const envSchema = z.object({
  AUTOTASK_USERNAME: optionalString,
  AUTOTASK_SECRET: optionalString,
  AUTOTASK_INTEGRATION_CODE: optionalString,
  AUTOTASK_ZONE_URL: z.url().default('https://webservices.autotask.net/ATServicesRest/'),
  AUTOTASK_BASE_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  AUTOTASK_IMPERSONATION_RESOURCE_ID: z.string().regex(/^\d+$/, 'a resource id (digits)').optional()
    .or(z.literal('').transform(() => undefined)),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').default('redis://127.0.0.1:6379'),
  SYNC_CONFIG: z.string().min(1).default('config/sync.json'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').optional().or(z.literal('').transform(() => undefined)),
  AUTOTASK_WEBHOOK_SECRET: z.string().min(8, 'at least 8 characters').optional().or(z.literal('').transform(() => undefined)),
  INVOICE_OUTPUT_DIR: z.string().min(1).default('./data/invoices'),
  INVOICE_WEBHOOK_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  INVOICE_WEBHOOK_SECRET: z.string().min(8, 'at least 8 characters').optional().or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const fileSchema = z.strictObject({
  $schema: z.string().optional(),
  tenants: tenantsSection,
  queue: queueSection,
  autotask: autotaskSection,
  pull: pullSection,
  schedules: schedulesSection,
  invoices: invoicesSection,
  detection: detectionSection,
  timeEntries: timeEntriesSection,
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
}

export interface AppConfig {
  configPath: string;
  redisUrl: string;
  port: number;
  logLevel: EnvInput['LOG_LEVEL'];
  adminToken?: string;
  webhookSecret?: string;
  invoiceOutputDir: string;
  invoiceWebhook?: { url: string; secret: string };
  /** Tenants whose credentials are complete. Empty when none is configured (e.g. `detect`, `sandbox`). */
  tenants: TenantConfig[];
  queue: FileConfig['queue'];
  autotask: FileConfig['autotask'];
  pull: FileConfig['pull'];
  schedules: FileConfig['schedules'];
  invoices: FileConfig['invoices'];
  detection: FileConfig['detection'];
  timeEntries: FileConfig['timeEntries'];
}
