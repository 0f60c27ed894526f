/**
 * The sandbox tenant's picklists. docs/autotask-api.md#metadata: picklists differ per tenant and their ids are not
 * 1..N in label order, so only the system values are kept where docs/autotask-api.md#tickets names them (ticketType 1..5,
 * status 1 New / 5 Complete, source 8 Monitoring Alert, contractType ids); everything else uses
 * tenant-looking ids so a client that hard-codes labels or positions fails here as it would in production.
 */
import type { PicklistEntry, Picklists } from './types.js';

const sys = (value: number, label: string, extra: Partial<PicklistEntry> = {}): PicklistEntry =>
  ({ value, label, isSystem: true, ...extra });
const val = (value: number, label: string, extra: Partial<PicklistEntry> = {}): PicklistEntry =>
  ({ value, label, isSystem: false, ...extra });

export const TICKET_STATUS_IDS = { new: 1, complete: 5, inProgress: 8, waitingCustomer: 7, onHold: 13 } as const;
export const TICKET_PRIORITY_IDS = { critical: 4, high: 1, medium: 2, low: 3 } as const;
export const QUEUE_IDS = { monitoring: 29683354, levelOne: 29683481, clientPortal: 29682833, projects: 29684107 } as const;
export const ISSUE_TYPE_IDS = { hardware: 7, software: 12, network: 15, backup: 21 } as const;
export const SUB_ISSUE_TYPE_IDS = { server: 145, workstation: 146, printer: 147, email: 201, lineOfBusiness: 203,
  connectivity: 230, firewall: 231, backupJob: 260, restore: 261 } as const;
export const CONTRACT_TYPE_IDS = { timeAndMaterials: 1, fixedPrice: 3, blockHours: 4, retainer: 6,
  recurringService: 7, perTicket: 8 } as const;
export const CONTRACT_CATEGORY_IDS = { managedServices: 11, projects: 14, adHoc: 17 } as const;
export const BILLING_ITEM_TYPE_IDS = { labor: 1, laborAdjustment: 2, projectCost: 3, ticketCost: 4, contractCost: 5,
  operationalCost: 6, milestone: 7, recurringService: 10, blockPurchase: 12 } as const;
export const API_USER_LICENSE_TYPE = 7;

export function defaultPicklists(): Picklists {
  return {
    'Tickets.status': [sys(1, 'New', { isDefaultValue: true }), sys(5, 'Complete'), val(7, 'Waiting Customer'),
      val(8, 'In Progress'), val(10, 'Dispatched'), val(12, 'Waiting Vendor'), val(13, 'On Hold'),
      val(16, 'Escalated', { isActive: false })],
    'Tickets.priority': [val(4, 'P1 Critical', { sortOrder: 1 }), val(1, 'P2 High', { sortOrder: 2 }),
      val(2, 'P3 Medium', { sortOrder: 3, isDefaultValue: true }), val(3, 'P4 Low', { sortOrder: 4 }),
      val(6, 'P5 Planning', { sortOrder: 5, isActive: false })],
    'Tickets.queueID': [val(29682833, 'Client Portal'), val(29683354, 'Monitoring Alerts'),
      val(29683481, 'Level I Support'), val(29684107, 'Projects'), val(29682969, 'Post Sale', { isActive: false })],
    'Tickets.source': [val(-2, 'Insourced'), val(-1, 'Client Portal'), val(2, 'Phone'), val(4, 'Email'),
      sys(8, 'Monitoring Alert'), val(11, 'Web Portal'), val(13, 'Verbal')],
    'Tickets.ticketType': [sys(1, 'Service Request'), sys(2, 'Incident'), sys(3, 'Problem'), sys(4, 'Change Request'),
      sys(5, 'Alert')],
    'Tickets.issueType': [val(7, 'Hardware'), val(12, 'Software'), val(15, 'Network'), val(21, 'Backup & Recovery')],
    'Tickets.subIssueType': [val(145, 'Server', { parentValue: 7 }), val(146, 'Workstation', { parentValue: 7 }),
      val(147, 'Printer', { parentValue: 7 }), val(201, 'Email', { parentValue: 12 }),
      val(203, 'Line of Business App', { parentValue: 12 }), val(230, 'Connectivity', { parentValue: 15 }),
      val(231, 'Firewall', { parentValue: 15 }), val(260, 'Backup Job', { parentValue: 21 }),
      val(261, 'Restore Request', { parentValue: 21 })],
    'Tickets.creatorType': [sys(1, 'Resource'), sys(2, 'Contact')],
    'Tickets.lastActivityPersonType': [sys(1, 'Resource'), sys(2, 'Contact')],
    'TicketNotes.noteType': [val(1, 'Task Summary'), val(2, 'Task Detail'), val(3, 'Task Notes'),
      val(13, 'Workflow Rule Action Note'), val(18, 'Internal Note')],
    'TicketNotes.publish': [sys(1, 'All Autotask Users'), sys(2, 'Internal Project Team'), sys(3, 'Internal & Co-Managed')],
    'Contracts.contractType': [sys(1, 'Time & Materials'), sys(3, 'Fixed Price'), sys(4, 'Block Hours'),
      sys(6, 'Retainer'), sys(7, 'Recurring Service'), sys(8, 'Per Ticket')],
    'Contracts.contractCategory': [val(11, 'Managed Services'), val(14, 'Projects'), val(17, 'Ad hoc'),
      val(19, 'Legacy', { isActive: false })],
    'Contracts.status': [sys(0, 'Inactive'), sys(1, 'Active')],
    'BillingItems.billingItemType': [sys(1, 'Labor'), sys(2, 'Labor Adjustment'), sys(3, 'Project Cost'),
      sys(4, 'Ticket Cost'), sys(5, 'Contract Cost'), sys(6, 'Operational Cost'), sys(7, 'Milestone'),
      sys(10, 'Recurring Contract Service'), sys(12, 'Block Hour Purchase')],
    'BillingItems.subType': [sys(1, 'Time Entry'), sys(2, 'Expense'), sys(3, 'Charge'), sys(4, 'Service'),
      sys(5, 'Block Purchase')],
    'Companies.companyType': [sys(1, 'Customer'), sys(2, 'Lead'), sys(3, 'Prospect'), sys(5, 'Dead'),
      sys(7, 'Vendor'), sys(8, 'Partner')],
    'ConfigurationItems.configurationItemType': [val(3, 'Server'), val(5, 'Workstation'), val(9, 'Backup Job'),
      val(12, 'Network Device')],
    'Resources.licenseType': [sys(1, 'Full'), sys(2, 'Time and Attendance Only'), sys(3, 'Dashboard User'),
      sys(API_USER_LICENSE_TYPE, 'API User')],
  };
}

/** Ticket statuses and priorities the generator and scenarios draw from (active ones only). */
export function activeValues(picklists: Picklists, key: string): number[] {
  return (picklists[key] ?? []).filter((e) => e.isActive !== false).map((e) => e.value);
}
