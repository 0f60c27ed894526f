import { z } from 'zod';
import { atDateTimeOrNull, atId, atIdOrNull, atTextOrEmpty, atTextOrNull } from './common.js';

export { TICKET_SOURCE_MONITORING_ALERT, TICKET_STATUS, TICKET_TYPE } from '../../lib/ticket-values.js';

/** docs/autotask-api.md#tickets: title ≤ 255, description ≤ 8000, externalID ≤ 50; note `problemTicketId` (lower-case d). */
export const ticketSchema = z.looseObject({
  id: atId,
  ticketNumber: atTextOrNull,
  title: atTextOrEmpty,
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
