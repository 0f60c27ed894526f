/**
 * Job payloads: the envelope every queued job carries ({tenant, data}), validation of `data` against the job's
 * zod schema (an InputError whose message names each bad field as `data.<path>`), and the de-duplication id.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { JobDefinition } from '../../jobs/define-job.js';
import { InputError } from '../lib/errors.js';
import { formatZodIssues, issuePath } from '../lib/zod-issues.js';
import type { QueuedJobData } from './queues.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/** The envelope of a queued job; anything else (a hand-added job, an old format) is refused by field. */
export function parseEnvelope(raw: unknown): QueuedJobData {
  if (!isPlainObject(raw)) throw new InputError('job data: expected an object {tenant, data}');
  if (typeof raw.tenant !== 'string' || raw.tenant === '') throw new InputError('tenant: expected a tenant id', { field: 'tenant' });
  const data = raw.data ?? {};
  if (!isPlainObject(data)) throw new InputError('data: expected an object', { field: 'data' });
  return { tenant: raw.tenant, data };
}

export function parseJobData<S extends z.ZodType>(definition: JobDefinition<S>, data: unknown): z.output<S> {
  const parsed = definition.schema.safeParse(data);
  if (!parsed.success) {
    throw new InputError(`${definition.name} ${formatZodIssues(parsed.error, 'data')}`, {
      job: definition.name,
      fields: parsed.error.issues.map((i) => issuePath(i, 'data')),
    });
  }
  return parsed.data;
}

/** JSON with object keys sorted, so equal data hashes equally whatever the key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).sort().filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Same job name + tenant + data ⇒ same id: a trigger while one is waiting or running returns that one. */
export function deduplicationId(name: string, tenant: string, data: unknown): string {
  const hash = createHash('sha256').update(stableJson(data)).digest('hex').slice(0, 24);
  return `${name}:${tenant}:${hash}`;
}
