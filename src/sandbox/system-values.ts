/** System picklist values docs/autotask-api.md#tickets names: the only ones a client may rely on without metadata. */
export const TICKET_TYPE_SERVICE_REQUEST = 1;
export const TICKET_TYPE_INCIDENT = 2;
export const TICKET_TYPE_PROBLEM = 3;
export const TICKET_TYPE_ALERT = 5;
export const TICKET_STATUS_NEW = 1;
export const TICKET_STATUS_COMPLETE = 5;
export const TICKET_SOURCE_MONITORING_ALERT = 8;
