/**
 * The only reader of process.env and of the SYNC_CONFIG file. Called once at start; a bad setting fails here
 * with one message naming each bad field and why (ConfigError), never later in a job.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../src/lib/errors.js';
import { registerSecrets } from '../src/lib/redact.js';
import { formatZodIssueList } from '../src/lib/zod-issues.js';
import { resolveRedisSettings } from './redis.js';
import { envSchema, fileSchema, type AppConfig, type EnvInput, type FileConfig, type TenantConfig } from './schema.js';

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** Fail unless at least one tenant has complete credentials (worker, run). */
  requireTenant?: boolean;
  /**
   * 'ignore': commands that never talk to Autotask (trigger, dlq) neither need nor check credentials; the
   * tenants the config declares are still known by id (`declaredTenantIds`), `tenants` stays empty.
   */
  credentials?: 'check' | 'ignore';
  /** Overrides applied on top of the environment (the demo points the default tenant at its sandbox). */
  overrides?: Partial<Record<keyof z.infer<typeof envSchema>, string>>;
  /** Use this object instead of reading SYNC_CONFIG (tests). */
  file?: unknown;
}

function formatIssues(prefix: string, error: z.ZodError): string[] {
  return formatZodIssueList(error, prefix);
}

function readConfigFile(path: string, mustExist: boolean): { raw: unknown; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !mustExist) return { raw: {}, problems: [] };
    return { raw: {}, problems: [`SYNC_CONFIG: cannot read ${path} (${code ?? String(error)})`] };
  }
  try {
    return { raw: JSON.parse(text) as unknown, problems: [] };
  } catch (error) {
    return { raw: {}, problems: [`SYNC_CONFIG: ${path} is not valid JSON (${(error as Error).message})`] };
  }
}

export function parseFileConfig(raw: unknown, label = 'SYNC_CONFIG'): FileConfig {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatIssues(`${label} `, parsed.error).map((s) => s.replace(`${label} `, `${label}: `)));
  return parsed.data;
}

/**
 * Each variable parsed on its own: one bad variable is reported alone, and the good ones keep their values
 * (parsing the whole object at once and falling back to the defaults on any failure dropped the credentials too,
 * which then showed up as a false "AUTOTASK_*: required").
 */
function parseEnvFields(sourceEnv: Record<string, string | undefined>, problems: string[]): EnvInput {
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(envSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(sourceEnv[name]);
    if (parsed.success) { values[name] = parsed.data; continue; }
    problems.push(...parsed.error.issues.map((issue) => `${name}: ${issue.message}`));
    values[name] = (schema as z.ZodType).safeParse(undefined).data;
  }
  return values as EnvInput;
}

export function loadConfig(options: LoadOptions = {}): AppConfig {
  const sourceEnv: Record<string, string | undefined> = { ...(options.env ?? process.env), ...(options.overrides ?? {}) };
  const problems: string[] = [];
  const envValues = parseEnvFields(sourceEnv, problems);

  // The default path may be absent (defaults apply); a path the operator chose must exist.
  const explicitPath = sourceEnv.SYNC_CONFIG !== undefined && sourceEnv.SYNC_CONFIG !== '';
  const { raw, problems: fileProblems } = options.file !== undefined
    ? { raw: options.file, problems: [] }
    : readConfigFile(envValues.SYNC_CONFIG, explicitPath);
  problems.push(...fileProblems);
  const file = fileSchema.safeParse(raw);
  if (!file.success) problems.push(...formatIssues('', file.error).map((s) => `SYNC_CONFIG ${s}`));

  if (envValues.INVOICE_WEBHOOK_URL && !envValues.INVOICE_WEBHOOK_SECRET) {
    problems.push('INVOICE_WEBHOOK_SECRET: required when INVOICE_WEBHOOK_URL is set (deliveries are signed)');
  }

  const tenants: TenantConfig[] = [];
  const ignoreCredentials = options.credentials === 'ignore';
  const declaredTenantIds = ['default', ...(file.success ? file.data.tenants.map((t) => t.id).filter((id) => id !== 'default') : [])];
  const creds = [envValues.AUTOTASK_USERNAME, envValues.AUTOTASK_SECRET, envValues.AUTOTASK_INTEGRATION_CODE];
  const someDefault = creds.some(Boolean);
  if (ignoreCredentials) {
    // trigger/dlq: no client is ever built, so no credential is read or checked.
  } else if (creds.every(Boolean)) {
    tenants.push({
      id: 'default',
      username: envValues.AUTOTASK_USERNAME!,
      secret: envValues.AUTOTASK_SECRET!,
      integrationCode: envValues.AUTOTASK_INTEGRATION_CODE!,
      zoneUrl: envValues.AUTOTASK_ZONE_URL,
      ...(envValues.AUTOTASK_BASE_URL ? { baseUrl: envValues.AUTOTASK_BASE_URL } : {}),
      ...(envValues.AUTOTASK_IMPERSONATION_RESOURCE_ID
        ? { impersonationResourceId: Number(envValues.AUTOTASK_IMPERSONATION_RESOURCE_ID) } : {}),
      ...(envValues.AUTOTASK_WEBHOOK_SECRET ? { webhookSecret: envValues.AUTOTASK_WEBHOOK_SECRET } : {}),
    });
  } else if (someDefault || options.requireTenant) {
    const names = ['AUTOTASK_USERNAME', 'AUTOTASK_SECRET', 'AUTOTASK_INTEGRATION_CODE'];
    const missing = names.filter((_, i) => !creds[i]);
    const hasFileTenants = file.success && file.data.tenants.length > 0;
    if (someDefault || !hasFileTenants) problems.push(`${missing.join(', ')}: required (the default tenant's API user; with Docker Compose set them in .env, see .env.example)`);
  }

  if (file.success) {
    for (const [index, t] of file.data.tenants.entries()) {
      if (ignoreCredentials) continue;
      const at = `SYNC_CONFIG tenants.${index}`;
      if (t.id === 'default') { problems.push(`${at}.id: "default" is the tenant of the AUTOTASK_* variables`); continue; }
      const username = sourceEnv[t.usernameEnv];
      const secret = sourceEnv[t.secretEnv];
      const code = sourceEnv[t.integrationCodeEnv];
      const missing = [[t.usernameEnv, username], [t.secretEnv, secret], [t.integrationCodeEnv, code]]
        .filter(([, v]) => !v).map(([k]) => k);
      if (missing.length) { problems.push(`${at} (${t.id}): environment variable ${missing.join(', ')} is not set`); continue; }
      const imp = t.impersonationResourceIdEnv ? sourceEnv[t.impersonationResourceIdEnv] : undefined;
      if (imp !== undefined && !/^\d+$/.test(imp)) problems.push(`${t.impersonationResourceIdEnv}: a resource id (digits)`);
      const hookSecret = t.webhookSecretEnv ? sourceEnv[t.webhookSecretEnv] : undefined;
      if (t.webhookSecretEnv && (hookSecret === undefined || hookSecret.length < 8)) {
        problems.push(`${t.webhookSecretEnv}: ${hookSecret === undefined ? 'not set' : 'at least 8 characters'} (webhook secret of tenant ${t.id})`);
      }
      tenants.push({
        id: t.id, username: username!, secret: secret!, integrationCode: code!,
        zoneUrl: t.zoneUrl ?? envValues.AUTOTASK_ZONE_URL,
        ...(t.baseUrl ? { baseUrl: t.baseUrl } : {}),
        ...(imp && /^\d+$/.test(imp) ? { impersonationResourceId: Number(imp) } : {}),
        ...(hookSecret && hookSecret.length >= 8 ? { webhookSecret: hookSecret } : {}),
      });
    }
    // A shared secret would let a body signed for one tenant be accepted for another (the ?tenant= parameter
    // is outside the signature), so each tenant's secret must be its own.
    const secretOwner = new Map<string, string>();
    for (const t of tenants) {
      if (!t.webhookSecret) continue;
      const owner = secretOwner.get(t.webhookSecret);
      if (owner) problems.push(`tenant ${t.id} webhook secret: the same as tenant ${owner}'s; give each tenant its own`);
      else secretOwner.set(t.webhookSecret, t.id);
    }
    const ids = new Set(ignoreCredentials ? declaredTenantIds : tenants.map((t) => t.id));
    for (const [index, s] of file.data.schedules.entries()) {
      if (s.tenant !== undefined && !ids.has(s.tenant) && ids.size > 0) problems.push(`SYNC_CONFIG schedules.${index}.tenant: no tenant "${s.tenant}"`);
    }
  }

  const { settings: redis, problems: redisProblems } = resolveRedisSettings(envValues);
  problems.push(...redisProblems);

  if (problems.length > 0 || !file.success) throw new ConfigError(problems);

  registerSecrets([
    ...tenants.flatMap((t) => [t.secret, t.integrationCode, t.webhookSecret]),
    envValues.ADMIN_TOKEN, envValues.AUTOTASK_WEBHOOK_SECRET, envValues.REDIS_PASSWORD, envValues.REDIS_SENTINEL_PASSWORD, envValues.INVOICE_WEBHOOK_SECRET,
  ]);

  return {
    configPath: envValues.SYNC_CONFIG,
    redisUrl: envValues.REDIS_URL,
    redis,
    host: envValues.HOST,
    port: envValues.PORT,
    logLevel: envValues.LOG_LEVEL,
    trustProxy: envValues.TRUST_PROXY,
    ...(envValues.ADMIN_TOKEN ? { adminToken: envValues.ADMIN_TOKEN } : {}),
    ...(envValues.AUTOTASK_WEBHOOK_SECRET ? { webhookSecret: envValues.AUTOTASK_WEBHOOK_SECRET } : {}),
    invoiceOutputDir: envValues.INVOICE_OUTPUT_DIR,
    ...(envValues.INVOICE_WEBHOOK_URL && envValues.INVOICE_WEBHOOK_SECRET
      ? { invoiceWebhook: { url: envValues.INVOICE_WEBHOOK_URL, secret: envValues.INVOICE_WEBHOOK_SECRET } } : {}),
    tenants,
    declaredTenantIds,
    queue: file.data.queue,
    http: file.data.http,
    autotask: file.data.autotask,
    pull: file.data.pull,
    schedules: file.data.schedules,
    invoices: file.data.invoices,
    detection: file.data.detection,
    timeEntries: file.data.timeEntries,
    store: file.data.store,
  };
}
