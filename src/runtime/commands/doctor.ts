/**
 * `autotask-sync doctor`: a read-only preflight of one tenant before the first write. Every check reads (zone,
 * ThresholdInformation, a count per entity, field metadata, picklists) or looks at the config; none writes. Each
 * answers ok / warn / fail with what was seen and what to do. Facts behind the checks: docs/autotask-samples.md.
 */
import type { AppConfig, TenantConfig } from '../../../config/schema.js';
import type { EntityName } from '../../autotask/schemas/index.js';
import type { AutotaskClient } from '../../autotask/types.js';
import { AppError, errorMessage } from '../../lib/errors.js';
import type { RuntimeServices } from '../services.js';
import { plural } from '../../lib/plural.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  fix: string;
}
export interface DoctorReport {
  tenant: string;
  checks: DoctorCheck[];
}

/** Every entity a job reads or writes. */
const ENTITIES: readonly EntityName[] = ['Companies', 'Contracts', 'BillingItems', 'Invoices', 'Tickets', 'TimeEntries', 'Resources', 'ConfigurationItems'];

/** Fields the jobs filter on or write: [entity, field, written]. */
const FIELDS: ReadonlyArray<[EntityName, string, boolean]> = [
  ['Tickets', 'problemTicketId', true], ['Tickets', 'lastActivityDate', false], ['Tickets', 'ticketType', true],
  ['BillingItems', 'webServiceDate', true], ['BillingItems', 'invoiceID', false], ['BillingItems', 'purchaseOrderNumber', false],
  ['Contracts', 'purchaseOrderNumber', true], ['TimeEntries', 'startDateTime', true], ['Resources', 'defaultServiceDeskRoleID', false],
];

const check = (name: string, status: CheckStatus, detail: string, fix = ''): DoctorCheck => ({ name, status, detail, fix });

function failureFix(error: unknown, what: string): string {
  const code = error instanceof AppError ? error.code : '';
  if (code === 'AUTOTASK_PERMISSION') return `give the API user's security level read access to ${what}`;
  if (code === 'AUTOTASK_AUTH') return 'check the API user name, secret and integration code (and the zone URL)';
  return 'see the detail; run doctor again once Autotask answers';
}

async function connection(client: AutotaskClient, signal: AbortSignal): Promise<DoctorCheck[]> {
  const info = await client.thresholdInformation(signal);
  const used = info.currentTimeframeRequestCount;
  const limit = info.externalRequestThreshold;
  const share = used / limit;
  return [
    check('zone and credentials', 'ok', 'zone found; the API user authenticated (ThresholdInformation answered)'),
    check('request threshold', share >= 0.9 ? 'fail' : share >= 0.5 ? 'warn' : 'ok', `${used} of ${plural(limit, 'request')} used in the current hour (${Math.round(share * 100)}%)`,
      share >= 0.5 ? 'other integrations use much of the hourly budget: lower their load or this worker\'s budget share (autotask.budget)' : ''),
  ];
}

async function reads(client: AutotaskClient, signal: AbortSignal): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  for (const entity of ENTITIES) {
    try {
      const n = await client.count(entity, [{ op: 'gt', field: 'id', value: 0 }], signal);
      out.push(check(`read ${entity}`, 'ok', `${n} record(s) visible`));
    } catch (error) {
      out.push(check(`read ${entity}`, 'fail', errorMessage(error), failureFix(error, entity)));
    }
  }
  return out;
}

async function fields(client: AutotaskClient, config: AppConfig): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  for (const [entity, name, written] of FIELDS) {
    const label = `field ${entity}.${name}`;
    try {
      const field = (await client.fields(entity)).find((f) => f.name.toLowerCase() === name.toLowerCase());
      if (!field) out.push(check(label, 'fail', 'not in the entity\'s field metadata', 'this tenant\'s API version lacks the field; report it with the tenant\'s zone'));
      else if (written && field.isReadOnly) out.push(check(label, 'fail', 'read-only for this API user', `give the API user's security level edit rights on ${entity}`));
      else out.push(check(label, 'ok', written ? 'present and writable' : 'present'));
    } catch (error) {
      out.push(check(label, 'fail', errorMessage(error), failureFix(error, `${entity} metadata`)));
    }
  }
  const key = config.invoices.poPolicy.agreementKey;
  if (key?.kind === 'udf') {
    out.push(check(`udf Contracts.${key.name}`, 'warn', 'user-defined fields are not listed by the field metadata this worker reads',
      `check by hand: Admin > Extensions & Integrations > User-Defined Fields > Contracts has "${key.name}"`));
  }
  return out;
}

async function picklists(client: AutotaskClient, config: AppConfig): Promise<DoctorCheck[]> {
  const problem = config.detection.problem;
  const wanted: Array<[string, number | null]> = [['queueID', problem.queueID], ['priority', problem.priority], ['status', problem.status]];
  const out: DoctorCheck[] = [];
  for (const [field, value] of wanted) {
    if (value === null) continue;
    const label = `picklist Tickets.${field} = ${value}`;
    try {
      const values = await client.picklist('Tickets', field);
      const found = values.some((v) => Number(v.value) === value);
      out.push(found ? check(label, 'ok', 'an active value of the tenant\'s picklist')
        : check(label, 'fail', `not an active value (active: ${values.map((v) => v.value).slice(0, 20).join(', ')})`,
          `set detection.problem.${field} to one of the tenant's values`));
    } catch (error) {
      out.push(check(label, 'fail', errorMessage(error), failureFix(error, 'Tickets metadata')));
    }
  }
  return out;
}

function settings(config: AppConfig, tenant: TenantConfig): DoctorCheck[] {
  const t = config.timeEntries;
  return [
    t.proxy === 'impersonate'
      ? check('proxy time entry', 'ok', 'each time entry is created as its own resource (ImpersonationResourceId), so "Proxy Time Entry" is not needed',
        '')
      : check('proxy time entry', 'warn', 'entries are created as the API user for other resources; the API does not show whether the tenant allows that',
        'check by hand: the API user\'s security level must allow "Proxy Time Entry", or set timeEntries.proxy to "impersonate"'),
    t.midnight === 'refuse'
      ? check('midnight spanning', 'ok', `entries crossing midnight (${t.timeZone}) are refused before sending`)
      : check('midnight spanning', 'warn', 'entries crossing midnight are sent; the API does not show the tenant setting',
        'check by hand: Admin > Features & Settings > Time Entry: "Allow time entries to span over midnight" must be on'),
    tenant.webhookSecret
      ? check('webhook secret', 'ok', 'configured; webhooks for this tenant are verified with its own secret')
      : check('webhook secret', 'warn', 'none: webhooks for this tenant are refused and problems wait for polling',
        tenant.id === 'default' ? 'set AUTOTASK_WEBHOOK_SECRET to the webhook\'s secret key' : 'set webhookSecretEnv for this tenant'),
  ];
}

export async function runDoctor(services: RuntimeServices, requested: string | undefined, signal: AbortSignal): Promise<DoctorReport> {
  const scope = services.tenants.get(services.tenants.resolve(requested));
  const { client, tenant } = scope;
  const checks: DoctorCheck[] = [];
  try {
    checks.push(...await connection(client, signal));
  } catch (error) {
    // Without a connection every other Autotask check would fail the same way: say it once.
    checks.push(check('zone and credentials', 'fail', errorMessage(error), failureFix(error, 'ThresholdInformation')));
    checks.push(...settings(services.config, tenant));
    return { tenant: tenant.id, checks };
  }
  checks.push(...await reads(client, signal));
  checks.push(...await fields(client, services.config));
  checks.push(...await picklists(client, services.config));
  checks.push(...settings(services.config, tenant));
  return { tenant: tenant.id, checks };
}
