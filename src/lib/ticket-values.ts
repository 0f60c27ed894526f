/**
 * The Ticket system picklist values Autotask fixes for every tenant (ticketType, status, source); the only
 * picklist values code may rely on without reading the tenant's metadata. One list for the client, the rules
 * and the sandbox.
 */
export const TICKET_TYPE = { serviceRequest: 1, incident: 2, problem: 3, changeRequest: 4, alert: 5 } as const;
export const TICKET_STATUS = { new: 1, complete: 5 } as const;
export const TICKET_SOURCE_MONITORING_ALERT = 8;
