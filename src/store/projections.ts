/**
 * What the store keeps of each entity: only the fields the rules and jobs read (issue 5: "only the fields the
 * rules need, in a compact form"). A projection is a plain object; the store serialises it as JSON.
 */

// Spelled out rather than picked from the client's schemas (src/autotask/schemas), so the store does not depend
// on the client; a record the client parsed has these fields with these types, which the compiler checks where
// the pulls call the projections.
type Id = number;
type IdOrNull = number | null;
type TextOrNull = string | null;
type DateTimeOrNull = string | null;

export interface StoredContract {
  id: Id; companyID: Id; contractName: string; contractNumber: TextOrNull; contractType: IdOrNull;
  contractCategory: IdOrNull; status: IdOrNull; startDate: DateTimeOrNull; endDate: DateTimeOrNull;
  purchaseOrderNumber: TextOrNull; lastModifiedDateTime: DateTimeOrNull;
  userDefinedFields?: Array<{ name: string; value: string | null }>;
}

export interface StoredBillingItem {
  id: Id; companyID: Id; contractID: IdOrNull; invoiceID: IdOrNull; itemDate: DateTimeOrNull; postedDate: DateTimeOrNull;
  purchaseOrderNumber: TextOrNull; itemName: string; description: TextOrNull; quantity: number | null; rate: number | null;
  extendedPrice: number | null; taxDollars: number | null; totalAmount: number | null; ticketID: IdOrNull;
  timeEntryID: IdOrNull; webServiceDate: DateTimeOrNull;
  /** Set when a field could not be read exactly (src/autotask/schemas/billing-items.ts): the item is set aside. */
  unreadable: TextOrNull;
}

export interface StoredTicket {
  id: Id; ticketNumber: TextOrNull; title: string; companyID: IdOrNull; companyLocationID: IdOrNull;
  configurationItemID: IdOrNull; contactID: IdOrNull; createDate: DateTimeOrNull; lastActivityDate: DateTimeOrNull;
  completedDate: DateTimeOrNull; status: IdOrNull; priority: IdOrNull; queueID: IdOrNull; source: IdOrNull;
  issueType: IdOrNull; subIssueType: IdOrNull; ticketType: IdOrNull; problemTicketId: IdOrNull; externalID: TextOrNull;
  assignedResourceID: IdOrNull; assignedResourceRoleID: IdOrNull;
}

function pick<T extends object, K extends keyof T>(record: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = record[key];
  return out;
}

const CONTRACT_KEYS = ['id', 'companyID', 'contractName', 'contractNumber', 'contractType', 'contractCategory', 'status',
  'startDate', 'endDate', 'purchaseOrderNumber', 'lastModifiedDateTime'] as const;
const BILLING_ITEM_KEYS = ['id', 'companyID', 'contractID', 'invoiceID', 'itemDate', 'postedDate', 'purchaseOrderNumber',
  'itemName', 'description', 'quantity', 'rate', 'extendedPrice', 'taxDollars', 'totalAmount', 'ticketID', 'timeEntryID',
  'webServiceDate', 'unreadable'] as const;
const TICKET_KEYS = ['id', 'ticketNumber', 'title', 'companyID', 'companyLocationID', 'configurationItemID', 'contactID',
  'createDate', 'lastActivityDate', 'completedDate', 'status', 'priority', 'queueID', 'source', 'issueType',
  'subIssueType', 'ticketType', 'problemTicketId', 'externalID', 'assignedResourceID', 'assignedResourceRoleID'] as const;

/**
 * The fields a pull asks Autotask for (its query's IncludeFields; docs/autotask-api.md#include-fields): what the
 * store keeps, nothing more. A real ticket carries about 76 fields and a billing item about 52 (2.1 KB and 1.3 KB
 * of JSON each); the store keeps 21 and 17 of them. Contracts are read whole: the PO policy may key on any of their
 * user-defined fields. `unreadable` is ours, not Autotask's.
 */
export const PULLED_FIELDS = {
  Tickets: [...TICKET_KEYS],
  BillingItems: BILLING_ITEM_KEYS.filter((key) => key !== 'unreadable'),
} as const;

export function projectContract(record: Omit<StoredContract, 'userDefinedFields'>): StoredContract {
  const out: StoredContract = pick(record, CONTRACT_KEYS);
  // Autotask returns user-defined fields as [{name, value}]; the PO policy's agreement key may read one.
  const udfs = (record as { userDefinedFields?: unknown }).userDefinedFields;
  if (Array.isArray(udfs) && udfs.length > 0) {
    out.userDefinedFields = udfs
      .filter((u): u is { name: string; value: unknown } => typeof u === 'object' && u !== null && typeof (u as { name?: unknown }).name === 'string')
      .map((u) => ({ name: u.name, value: u.value === null || u.value === undefined ? null : String(u.value) }));
  }
  return out;
}

export function projectBillingItem(record: StoredBillingItem): StoredBillingItem {
  return pick(record, BILLING_ITEM_KEYS);
}

export function projectTicket(record: StoredTicket): StoredTicket {
  return pick(record, TICKET_KEYS);
}
