/**
 * `autotask-sync doctor`: a read-only preflight of one tenant before the first write. Every check reads (zone,
 * ThresholdInformation, a count per entity, field and UDF metadata, picklists, the Problem template) or looks at the
 * config; none writes. Each answers ok / warn / fail with what was seen and what to do. What no read can show
 * (impersonation, Proxy Time Entry, midnight spanning) is a warning saying how to check it by hand. Facts behind
 * the checks: docs/autotask-samples.md.
 */
import type { AppConfig, TenantConfig } from '../../../config/schema.js';
import type { EntityName } from '../../autotask/schemas/index.js';
import type { AutotaskClient } from '../../autotask/types.js';
import { errorMessage } from '../../lib/errors.js';
import type { RuntimeServices } from '../services.js';
import { plural } from '../../lib/plural.js';
import { check, failureFix, type DoctorCheck } from './doctor-check.js';
import { fieldChecks, problemTemplateCheck, ruleFilterChecks, udfChecks } from './doctor-metadata.js';

export type { CheckStatus, DoctorCheck } from './doctor-check.js';
export interface DoctorReport {
  tenant: string;
  checks: DoctorCheck[];
}

/** Every entity a job reads or writes. */
const ENTITIES: readonly EntityName[] = ['Companies', 'Contracts', 'BillingItems', 'Invoices', 'Tickets', 'TimeEntries', 'Resources', 'ConfigurationItems'];

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

/**
 * Impersonation is documented for adds and edits only (docs/autotask-samples.md, "Impersonation"): no read can show
 * whether the tenant allows it, and a test write would be a write. So the doctor says how to check it by hand.
 */
function impersonationCheck(t: AppConfig['timeEntries']): DoctorCheck {
  return t.proxy === 'impersonate'
    ? check('time entry impersonation', 'warn', 'each time entry is created as its own resource (ImpersonationResourceId); '
      + 'the API shows no setting that allows it, and Autotask clears it by default',
    'check by hand: Admin > Account Settings & Users > Security Levels: each technician\'s security level has "Allow impersonation of '
      + 'resources with this security level" (Web Services API), and the API user\'s API-only security level has Resource Impersonation '
      + 'for time entries (add); or set timeEntries.proxy to "as-api-user" with "Proxy Time Entry" allowed')
    : check('proxy time entry', 'warn', 'entries are created as the API user for other resources; the API does not show whether the tenant allows that',
      'check by hand: the API user\'s security level must allow "Proxy Time Entry", or set timeEntries.proxy to "impersonate"');
}

function settings(config: AppConfig, tenant: TenantConfig): DoctorCheck[] {
  const t = config.timeEntries;
  return [
    impersonationCheck(t),
    t.timeZone === 'UTC'
      ? check('time zone', 'warn', 'timeEntries.timeZone is UTC (the default): an entry\'s dateWorked and its midnight are judged in UTC',
        'set timeEntries.timeZone to the tenant\'s IANA zone (e.g. Europe/Berlin) unless its technicians work in UTC')
      : check('time zone', 'ok', `dateWorked and midnight are judged in ${t.timeZone}`),
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
  checks.push(...await fieldChecks(client));
  checks.push(...await udfChecks(client, services.config));
  checks.push(...await picklists(client, services.config));
  checks.push(await problemTemplateCheck(client, services.config));
  checks.push(...await ruleFilterChecks(client, services.config));
  checks.push(...settings(services.config, tenant));
  return { tenant: tenant.id, checks };
}
