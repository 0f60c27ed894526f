/** The Ticket system values under the names the sandbox's scenarios use; the values are the product's own list. */
import { TICKET_SOURCE_MONITORING_ALERT, TICKET_STATUS, TICKET_TYPE } from '../lib/ticket-values.js';

export { TICKET_SOURCE_MONITORING_ALERT };
export const TICKET_TYPE_SERVICE_REQUEST = TICKET_TYPE.serviceRequest;
export const TICKET_TYPE_INCIDENT = TICKET_TYPE.incident;
export const TICKET_TYPE_PROBLEM = TICKET_TYPE.problem;
export const TICKET_TYPE_ALERT = TICKET_TYPE.alert;
export const TICKET_STATUS_NEW = TICKET_STATUS.new;
export const TICKET_STATUS_COMPLETE = TICKET_STATUS.complete;
