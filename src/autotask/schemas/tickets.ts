import { z } from 'zod';
import { atDateTimeOrNull, atId, atIdOrNull, atText, atTextOrNull } from './common.js';

/** ticketType system values (docs/autotask-api.md#tickets). */
export const TICKET_TYPE = { serviceRequest: 1, incident: 2, problem: 3, changeRequest: 4, alert: 5 } as const;
/** status system values. */
export const TICKET_STATUS = { new: 1, complete: 5 } as const;
export const TICKET_SOURCE_MONITORING_ALERT = 8;

/** docs/autotask-api.md#tickets: title ≤ 255, description ≤ 8000, externalID ≤ 50; note `problemTicketId` (lower-case d). */
export const ticketSchema = z.looseObject({
  id: atId,
  ticketNumber: atTextOrNull,
  title: atText.nullable().optional().transform((v) => v ?? ''),
  description: atTextOrNull,
  companyID: atIdOrNull,
  companyLocationID: atIdOrNull,
  configurationItemID: atIdOrNull,
  contactID: atIdOrNull,
  createDate: atDateTimeOrNull,
  lastActivityDate: atDateTimeOrNull,
  completedDate: atDateTimeOrNull,
  status: atIdOrNull,
  priority: atIdOrNull,
  queueID: atIdOrNull,
  source: atIdOrNull,
  issueType: atIdOrNull,
  subIssueType: atIdOrNull,
  ticketType: atIdOrNull,
  problemTicketId: atIdOrNull,
  externalID: atTextOrNull,
  assignedResourceID: atIdOrNull,
  assignedResourceRoleID: atIdOrNull,
});
export type Ticket = z.infer<typeof ticketSchema>;

export const ticketNoteSchema = z.looseObject({
  id: atId,
  ticketID: atId,
  title: atTextOrNull,
  description: atTextOrNull,
  noteType: atIdOrNull,
  publish: atIdOrNull,
  createDateTime: atDateTimeOrNull,
});
export type TicketNote = z.infer<typeof ticketNoteSchema>;
