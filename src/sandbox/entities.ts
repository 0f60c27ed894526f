/**
 * What each simulated entity is: its capabilities (entityInformation) and its fields (entityInformation/fields).
 * docs/autotask-api.md#contracts to #look-ups gives the capabilities: Invoices and BillingItems cannot be created, only
 * BillingItems' webServiceDate is writable, Tickets have no delete, TimeEntries do; only Companies,
 * ConfigurationItems, Tickets and TicketNotes support webhooks. Some fields cannot be filtered on (Tickets
 * creatorType / lastActivityPersonType, BillingItems lineItemFullDescription / lineItemGroupDescription).
 */
import type { SandboxEntity } from './types.js';

export type DataType = 'integer' | 'long' | 'double' | 'decimal' | 'string' | 'datetime' | 'date' | 'boolean';

export interface FieldDef {
  name: string;
  dataType: DataType;
  required: boolean;
  readOnly: boolean;
  queryable: boolean;
  ref: SandboxEntity | null;
  picklist: boolean;
  length: number;
  /** Name of the field whose value is this picklist's parent (subIssueType → issueType). */
  parentField: string | null;
}

export interface EntityDef {
  name: SandboxEntity;
  /** The singular Autotask uses in texts and referenceEntityType ("Ticket"). */
  singular: string;
  canCreate: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  canQuery: boolean;
  webhooks: boolean;
  /** Records carry `userDefinedFields: [{name, value}]` (filterable with `"udf": true`). */
  udfs: boolean;
  /** Created only through a parent route, e.g. TicketNotes via POST /Tickets/{id}/Notes (docs/autotask-api.md#writing). */
  parent: { entity: SandboxEntity; field: string; route: string } | null;
  /** Read-only date-times the sandbox maintains on create and on every write. */
  createdField: string | null;
  modifiedField: string | null;
  fields: FieldDef[];
  /** Lower-cased field name → definition (names are case-insensitive, docs/autotask-api.md#query-filters). */
  byLowerName: Map<string, FieldDef>;
}

type Opts = Partial<Pick<FieldDef, 'required' | 'readOnly' | 'queryable' | 'ref' | 'picklist' | 'length' | 'parentField'>>;
const f = (name: string, dataType: DataType, opts: Opts = {}): FieldDef => ({
  name, dataType, required: false, readOnly: false, queryable: true, ref: null, picklist: false,
  length: dataType === 'string' ? 100 : 0, parentField: null, ...opts,
});
const id = (): FieldDef => f('id', 'long', { readOnly: true });
const ro = (name: string, dataType: DataType, opts: Opts = {}): FieldDef => f(name, dataType, { ...opts, readOnly: true });
const ref = (name: string, entity: SandboxEntity, opts: Opts = {}): FieldDef => f(name, 'integer', { ...opts, ref: entity });
const pick = (name: string, opts: Opts = {}): FieldDef => f(name, 'integer', { ...opts, picklist: true });

type Spec = Omit<EntityDef, 'byLowerName' | 'parent' | 'createdField' | 'modifiedField' | 'webhooks' | 'canDelete' | 'udfs'>
  & Partial<Pick<EntityDef, 'parent' | 'createdField' | 'modifiedField' | 'webhooks' | 'canDelete'>>;

const WITH_UDFS = new Set(['Companies', 'Contracts', 'Tickets', 'ConfigurationItems']);

function entity(spec: Spec): EntityDef {
  return {
    parent: null, createdField: null, modifiedField: null, webhooks: false, canDelete: false, udfs: WITH_UDFS.has(spec.name), ...spec,
    byLowerName: new Map(spec.fields.map((field) => [field.name.toLowerCase(), field])),
  };
}

const definitions: EntityDef[] = [
  entity({ name: 'Companies', singular: 'Company', canCreate: true, canUpdate: true, canQuery: true, webhooks: true,
    createdField: 'createDate', modifiedField: 'lastActivityDate', fields: [
      id(), f('companyName', 'string', { required: true }), f('companyNumber', 'string', { length: 50 }),
      pick('companyType', { required: true }), f('isActive', 'boolean'), f('phone', 'string', { required: true, length: 25 }),
      ref('ownerResourceID', 'Resources', { required: true }), f('city', 'string', { length: 50 }), ref('currencyID', 'Currencies'),
      ro('createDate', 'datetime'), ro('lastActivityDate', 'datetime')] }),
  entity({ name: 'Contracts', singular: 'Contract', canCreate: true, canUpdate: true, canQuery: true,
    modifiedField: 'lastModifiedDateTime', fields: [
      id(), ref('companyID', 'Companies', { required: true }), f('contractName', 'string', { required: true }),
      f('contractNumber', 'string', { length: 50 }), pick('contractType', { required: true }), pick('contractCategory'),
      pick('status', { required: true }), f('startDate', 'date', { required: true }), f('endDate', 'date', { required: true }),
      f('purchaseOrderNumber', 'string', { length: 50 }), ref('billToCompanyID', 'Companies'),
      f('description', 'string', { length: 2000 }), f('isDefaultContract', 'boolean'),
      f('estimatedRevenue', 'decimal'), ro('lastModifiedDateTime', 'datetime')] }),
  entity({ name: 'BillingItems', singular: 'BillingItem', canCreate: false, canUpdate: true, canQuery: true, fields: [
      id(), ro('companyID', 'integer', { ref: 'Companies' }), ro('contractID', 'integer', { ref: 'Contracts' }),
      ro('invoiceID', 'integer', { ref: 'Invoices' }), ro('itemDate', 'datetime'), ro('postedDate', 'datetime'),
      ro('purchaseOrderNumber', 'string', { length: 50 }), ro('billingItemType', 'integer', { picklist: true }),
      ro('subType', 'integer', { picklist: true }), ro('itemName', 'string', { length: 500 }),
      ro('description', 'string', { length: 8000 }), ro('quantity', 'decimal'), ro('rate', 'decimal'),
      ro('extendedPrice', 'decimal'), ro('taxDollars', 'decimal'), ro('totalAmount', 'decimal'),
      ro('ticketID', 'integer', { ref: 'Tickets' }), ro('timeEntryID', 'integer', { ref: 'TimeEntries' }),
      ro('projectID', 'integer'), ro('internalCurrencyExtendedAmount', 'decimal'), ro('internalCurrencyRate', 'decimal'),
      ro('internalCurrencyTaxDollars', 'decimal'), ro('internalCurrencyTotalAmount', 'decimal'),
      ro('lineItemFullDescription', 'string', { queryable: false, length: 8000 }),
      ro('lineItemGroupDescription', 'string', { queryable: false, length: 8000 }),
      f('webServiceDate', 'datetime')] }),
  entity({ name: 'Invoices', singular: 'Invoice', canCreate: false, canUpdate: true, canQuery: true, fields: [
      id(), ro('companyID', 'integer', { ref: 'Companies' }), ro('invoiceNumber', 'string', { length: 50 }),
      ro('invoiceDateTime', 'datetime'), ro('fromDate', 'datetime'), ro('toDate', 'datetime'),
      ro('invoiceTotal', 'decimal'), ro('totalTaxValue', 'decimal'), ro('orderNumber', 'string', { length: 50 }),
      ro('isVoided', 'boolean'), f('paidDate', 'datetime'), f('webServiceDate', 'datetime'),
      f('comments', 'string', { length: 1000 }), ro('createDateTime', 'datetime'), ro('creatorResourceID', 'integer')] }),
  entity({ name: 'Tickets', singular: 'Ticket', canCreate: true, canUpdate: true, canQuery: true, webhooks: true,
    createdField: 'createDate', modifiedField: 'lastActivityDate', fields: [
      id(), ro('ticketNumber', 'string', { length: 50 }), f('title', 'string', { required: true, length: 255 }),
      f('description', 'string', { length: 8000 }), ref('companyID', 'Companies', { required: true }),
      f('companyLocationID', 'integer'), ref('configurationItemID', 'ConfigurationItems'), f('contactID', 'integer'),
      ref('contractID', 'Contracts'), ro('createDate', 'datetime'), ro('lastActivityDate', 'datetime'),
      ro('completedDate', 'datetime'), f('dueDateTime', 'datetime'), pick('status', { required: true }),
      pick('priority', { required: true }), pick('queueID'), pick('source'), pick('issueType'),
      pick('subIssueType', { parentField: 'issueType' }), pick('ticketType'), ref('problemTicketId', 'Tickets'),
      f('externalID', 'string', { length: 50 }), ref('assignedResourceID', 'Resources'),
      ref('assignedResourceRoleID', 'Roles'), f('estimatedHours', 'double'), f('resolution', 'string', { length: 32000 }),
      ro('creatorType', 'integer', { picklist: true, queryable: false }), ro('creatorResourceID', 'integer'),
      ro('lastActivityPersonType', 'integer', { picklist: true, queryable: false }), ro('lastActivityResourceID', 'integer')] }),
  entity({ name: 'TicketNotes', singular: 'TicketNote', canCreate: true, canUpdate: true, canQuery: true, webhooks: true,
    parent: { entity: 'Tickets', field: 'ticketID', route: 'Notes' },
    createdField: 'createDateTime', modifiedField: 'lastActivityDate', fields: [
      id(), ref('ticketID', 'Tickets', { required: true }), f('title', 'string', { required: true, length: 250 }),
      f('description', 'string', { required: true, length: 32000 }), pick('noteType', { required: true }),
      pick('publish', { required: true }), ro('createDateTime', 'datetime'), ro('lastActivityDate', 'datetime'),
      ro('creatorResourceID', 'integer')] }),
  entity({ name: 'TimeEntries', singular: 'TimeEntry', canCreate: true, canUpdate: true, canDelete: true, canQuery: true,
    createdField: 'createDateTime', modifiedField: 'lastModifiedDateTime', fields: [
      id(), ref('ticketID', 'Tickets'), f('taskID', 'integer'), ref('resourceID', 'Resources', { required: true }),
      ref('roleID', 'Roles', { required: true }), f('dateWorked', 'date', { required: true }),
      f('startDateTime', 'datetime'), f('endDateTime', 'datetime'), f('hoursWorked', 'decimal'),
      ro('hoursToBill', 'decimal'), f('summaryNotes', 'string', { length: 8000 }),
      f('internalNotes', 'string', { length: 8000 }), ref('contractID', 'Contracts'), f('isNonBillable', 'boolean'),
      ro('createDateTime', 'datetime'), ro('lastModifiedDateTime', 'datetime'), ro('creatorUserID', 'integer')] }),
  entity({ name: 'ConfigurationItems', singular: 'ConfigurationItem', canCreate: true, canUpdate: true, canQuery: true,
    webhooks: true, createdField: 'createDate', modifiedField: 'lastModifiedTime', fields: [
      id(), ref('companyID', 'Companies', { required: true }), f('referenceTitle', 'string', { length: 200 }),
      f('referenceNumber', 'string', { length: 50 }), f('serialNumber', 'string', { length: 100 }),
      f('isActive', 'boolean'), pick('configurationItemType'), f('productID', 'integer', { required: true }),
      f('installDate', 'datetime'), ro('createDate', 'datetime'), ro('lastModifiedTime', 'datetime')] }),
  entity({ name: 'Resources', singular: 'Resource', canCreate: false, canUpdate: false, canQuery: true, fields: [
      id(), ro('firstName', 'string', { length: 50 }), ro('lastName', 'string', { length: 50 }),
      ro('email', 'string', { length: 254 }), ro('userName', 'string', { length: 254 }), ro('isActive', 'boolean'),
      ro('licenseType', 'integer', { picklist: true }), ro('title', 'string', { length: 50 }),
      ro('defaultServiceDeskRoleID', 'integer', { ref: 'Roles' })] }),
  entity({ name: 'Roles', singular: 'Role', canCreate: false, canUpdate: false, canQuery: true, fields: [
      id(), ro('name', 'string', { length: 200 }), ro('description', 'string', { length: 200 }), ro('isActive', 'boolean'),
      ro('hourlyRate', 'decimal')] }),
  entity({ name: 'ResourceRoles', singular: 'ResourceRole', canCreate: false, canUpdate: false, canQuery: true, fields: [
      id(), ro('resourceID', 'integer', { ref: 'Resources' }), ro('roleID', 'integer', { ref: 'Roles' }),
      ro('isActive', 'boolean'), ro('queueID', 'integer')] }),
  // The Multi-currency module's currencies: name is the ISO code; they cannot be created or deleted.
  entity({ name: 'Currencies', singular: 'Currency', canCreate: false, canUpdate: true, canQuery: true, fields: [
      id(), ro('name', 'string', { length: 3 }), ro('description', 'string', { length: 100 }), f('exchangeRate', 'decimal'),
      f('isActive', 'boolean'), ro('isInternalCurrency', 'boolean')] }),
];

export const ENTITY_DEFS: ReadonlyMap<SandboxEntity, EntityDef> = new Map(definitions.map((d) => [d.name, d]));
const byLowerEntity = new Map(definitions.map((d) => [d.name.toLowerCase(), d]));

/** URL segments are matched case-insensitively, as IIS routes them. */
export function findEntity(segment: string): EntityDef | undefined {
  return byLowerEntity.get(segment.toLowerCase());
}

export function entityDef(name: SandboxEntity): EntityDef {
  const def = ENTITY_DEFS.get(name);
  if (!def) throw new Error(`unknown sandbox entity ${name}`);
  return def;
}
