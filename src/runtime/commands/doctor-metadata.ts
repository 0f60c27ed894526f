/**
 * The doctor's metadata checks (src/runtime/commands/doctor.ts): the fields the jobs filter on must exist and be
 * queryable, those they write must exist and be writable; a UDF the config names must be in the entity's
 * userDefinedFields; the Problem template must fit the tenant (the same check detect-problems runs before writing);
 * the detection rules' filter values must be values of the tenant's picklists. Reads only
 * (docs/autotask-api.md#metadata).
 */
import type { AppConfig } from '../../../config/schema.js';
import type { EntityName } from '../../autotask/schemas/index.js';
import type { AutotaskClient } from '../../autotask/types.js';
import { AppError, errorMessage } from '../../lib/errors.js';
import { checkProblemSettings } from '../../push/problems.js';
import { check, failureFix, type DoctorCheck } from './doctor-check.js';

interface FieldUse {
  entity: EntityName;
  field: string;
  /** A query filters on it: it must be queryable. */
  filter?: boolean;
  /** A job writes it: it must not be read-only. */
  write?: boolean;
  /** The job copes without it (another way, slower): missing or not queryable is a warning. */
  optional?: string;
}

/** Every field the jobs filter on or write (grep the client queries and write bodies when adding one). */
export const FIELD_USES: readonly FieldUse[] = [
  { entity: 'Tickets', field: 'lastActivityDate', filter: true },
  { entity: 'Tickets', field: 'externalID', filter: true, write: true },
  { entity: 'Tickets', field: 'problemTicketId', write: true },
  { entity: 'Tickets', field: 'ticketType', write: true },
  { entity: 'BillingItems', field: 'invoiceID', filter: true },
  { entity: 'BillingItems', field: 'webServiceDate', filter: true, write: true },
  { entity: 'BillingItems', field: 'purchaseOrderNumber' },
  { entity: 'Contracts', field: 'status', filter: true },
  { entity: 'Contracts', field: 'endDate', filter: true },
  { entity: 'Contracts', field: 'lastModifiedDateTime', filter: true,
    optional: 'sync-contracts then re-reads every qualifying contract each run instead of only the changed ones' },
  { entity: 'Contracts', field: 'purchaseOrderNumber', write: true },
  { entity: 'Invoices', field: 'invoiceDateTime', filter: true },
  { entity: 'TimeEntries', field: 'ticketID', filter: true, write: true },
  { entity: 'TimeEntries', field: 'resourceID', filter: true, write: true },
  { entity: 'TimeEntries', field: 'startDateTime', filter: true, write: true },
  { entity: 'Resources', field: 'defaultServiceDeskRoleID' },
];

function judgeField(use: FieldUse, field: { isReadOnly: boolean; isQueryable: boolean } | undefined): DoctorCheck {
  const label = `field ${use.entity}.${use.field}`;
  const soft = use.optional !== undefined;
  if (!field) {
    return check(label, soft ? 'warn' : 'fail', 'not in the entity\'s field metadata',
      soft ? use.optional! : 'this tenant\'s API version lacks the field; report it with the tenant\'s zone');
  }
  if (use.filter && !field.isQueryable) {
    return check(label, soft ? 'warn' : 'fail', 'not queryable on this tenant, but a job filters on it',
      soft ? use.optional! : 'report it with the tenant\'s zone: the job\'s query would be refused');
  }
  if (use.write && field.isReadOnly) {
    return check(label, 'fail', 'read-only for this API user, but a job writes it', `give the API user's security level edit rights on ${use.entity}`);
  }
  const what = [use.filter ? 'queryable' : '', use.write ? 'writable' : ''].filter(Boolean).join(' and ');
  return check(label, 'ok', what ? `present, ${what}` : 'present');
}

export async function fieldChecks(client: AutotaskClient): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  for (const use of FIELD_USES) {
    try {
      const wanted = use.field.toLowerCase();
      out.push(judgeField(use, (await client.fields(use.entity)).find((f) => f.name.toLowerCase() === wanted)));
    } catch (error) {
      out.push(check(`field ${use.entity}.${use.field}`, 'fail', errorMessage(error), failureFix(error, `${use.entity} metadata`)));
    }
  }
  return out;
}

export async function udfChecks(client: AutotaskClient, config: AppConfig): Promise<DoctorCheck[]> {
  const key = config.invoices.poPolicy.agreementKey;
  if (key?.kind !== 'udf') return [];
  const label = `udf Contracts.${key.name}`;
  try {
    const udfs = await client.userDefinedFields('Contracts');
    const found = udfs.find((u) => u.name === key.name) ?? udfs.find((u) => u.name.toLowerCase() === key.name.toLowerCase());
    if (found) return [check(label, 'ok', `present (${found.dataType})`)];
    return [check(label, 'fail', `not a user-defined field of Contracts (known: ${udfs.map((u) => u.name).slice(0, 20).join(', ') || 'none'})`,
      'create it under Admin > Extensions & Integrations > User-Defined Fields > Contracts, or fix invoices.poPolicy.agreementKey')];
  } catch (error) {
    return [check(label, 'fail', errorMessage(error), failureFix(error, 'Contracts metadata'))];
  }
}

/** The same check detect-problems runs before its first write, so a template that does not fit fails here first. */
export async function problemTemplateCheck(client: AutotaskClient, config: AppConfig): Promise<DoctorCheck> {
  try {
    await checkProblemSettings(client, config.detection.problem);
    const extra = Object.keys(config.detection.problem.fields);
    return check('problem template', 'ok', `fits the tenant's Tickets metadata and picklists${extra.length > 0 ? ` (also ${extra.join(', ')})` : ''}`);
  } catch (error) {
    const fix = error instanceof AppError && error.code === 'DETECTION_PROBLEM_SETTINGS'
      ? 'change the setting named in the detail to a writable field / active value of this tenant'
      : failureFix(error, 'Tickets metadata');
    return check('problem template', 'fail', errorMessage(error), fix);
  }
}

/** A rule filter value the tenant does not have matches no ticket: that rule set never groups anything. */
export async function ruleFilterChecks(client: AutotaskClient, config: AppConfig): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  for (const rule of config.detection.ruleSets) {
    for (const [field, values] of Object.entries(rule.filters)) {
      if (!values || values.length === 0) continue;
      const label = `rule ${rule.name} filter ${field}`;
      try {
        const known = new Set((await client.picklist('Tickets', field)).map((v) => v.value));
        const missing = values.filter((v) => !known.has(v));
        out.push(missing.length === 0 ? check(label, 'ok', `${values.join(', ')}: active values of Tickets.${field}`)
          : check(label, 'warn', `${missing.join(', ')} not an active Tickets.${field} of this tenant: no ticket matches ${missing.length === 1 ? 'it' : 'them'}`,
            `use this tenant's values in detection.ruleSets[${rule.name}].filters.${field}`));
      } catch (error) {
        out.push(check(label, 'fail', errorMessage(error), failureFix(error, 'Tickets metadata')));
      }
    }
  }
  return out;
}
