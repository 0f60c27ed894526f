/**
 * What the store keeps of each entity: only the fields the rules and jobs read (issue 5: "only the fields the
 * rules need, in a compact form"). A projection is a plain object; the store serialises it as JSON.
 */
import type { BillingItem, Contract, Ticket } from '../autotask/schemas/index.js';

export type StoredContract = Pick<Contract, 'id' | 'companyID' | 'contractName' | 'contractNumber' | 'contractType'
  | 'contractCategory' | 'status' | 'startDate' | 'endDate' | 'purchaseOrderNumber' | 'lastModifiedDateTime'>
  & { userDefinedFields?: Array<{ name: string; value: string | null }> };

export type StoredBillingItem = Pick<BillingItem, 'id' | 'companyID' | 'contractID' | 'invoiceID' | 'itemDate'
  | 'postedDate' | 'purchaseOrderNumber' | 'itemName' | 'description' | 'quantity' | 'rate' | 'extendedPrice'
  | 'taxDollars' | 'totalAmount' | 'ticketID' | 'timeEntryID' | 'webServiceDate' | 'unreadable'>;

export type StoredTicket = Pick<Ticket, 'id' | 'ticketNumber' | 'title' | 'companyID' | 'companyLocationID'
  | 'configurationItemID' | 'contactID' | 'createDate' | 'lastActivityDate' | 'completedDate' | 'status' | 'priority'
  | 'queueID' | 'source' | 'issueType' | 'subIssueType' | 'ticketType' | 'problemTicketId' | 'externalID'
  | 'assignedResourceID' | 'assignedResourceRoleID'>;

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

export function projectContract(record: Contract): StoredContract {
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

export function projectBillingItem(record: BillingItem): StoredBillingItem {
  return pick(record, BILLING_ITEM_KEYS);
}

export function projectTicket(record: Ticket): StoredTicket {
  return pick(record, TICKET_KEYS);
}
