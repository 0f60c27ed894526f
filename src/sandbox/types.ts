/**
 * Shapes shared by the sandbox modules: the simulated tenant's entities, records and data sets.
 * The sandbox is a test double of Autotask itself (docs/autotask-api.md), never imported by product code.
 */

/** Endpoints the sandbox serves. Roles and ResourceRoles are real Autotask entities the time-entry rules need. */
export const SANDBOX_ENTITIES = ['Companies', 'Contracts', 'BillingItems', 'Invoices', 'Tickets', 'TicketNotes',
  'TimeEntries', 'ConfigurationItems', 'Resources', 'Roles', 'ResourceRoles', 'Currencies'] as const;
export type SandboxEntity = (typeof SANDBOX_ENTITIES)[number];

/** One stored record: always an integer `id`, every other field of the entity present (null when empty). */
export type SandboxRecord = { id: number } & Record<string, unknown>;

/** A picklist entry as the tenant stores it (numbers); the API renders `value` and `parentValue` as strings. */
export interface PicklistEntry {
  value: number;
  label: string;
  isActive?: boolean;
  isSystem?: boolean;
  parentValue?: number | null;
  sortOrder?: number;
  isDefaultValue?: boolean;
}

/** Picklists keyed `Entity.field`, e.g. `Tickets.status`. */
export type Picklists = Record<string, PicklistEntry[]>;

/** A whole tenant: what a scenario or `generateTenant` produces and `startSandbox` serves. */
export interface TenantData {
  records: Partial<Record<SandboxEntity, SandboxRecord[]>>;
  /** Replaces the default picklist of each key given. */
  picklists?: Picklists;
  /** The Resources id of the API user (its userName is set to the sandbox's username at start). */
  apiUserResourceId: number;
}

/** An error answer of the simulated API: status and the `{"errors":[…]}` texts (docs/autotask-api.md#errors). */
export class SandboxApiError extends Error {
  readonly status: number;
  readonly errors: string[];
  constructor(status: number, errors: string | string[]) {
    const list = Array.isArray(errors) ? errors : [errors];
    super(list.join('; '));
    this.status = status;
    this.errors = list;
  }
}

/** A wrong route or method, answered the way IIS/ASP.NET does: `{"Message": …}` (docs/autotask-api.md#errors). */
export class RouteError extends Error {
  readonly status: 404 | 405;
  constructor(status: 404 | 405, message: string) {
    super(message);
    this.status = status;
  }
}
