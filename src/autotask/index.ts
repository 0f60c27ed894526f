/** The Autotask client's main surface in one import (client, filters, classification, errors, types). */
export { createAutotaskClient, type AutotaskClientOptions } from './client.js';
export { f, normalizeFilter, MAX_IN_VALUES, type FilterValue } from './filter.js';
export { classifyResponse, classifyFailure, classifyMalformed, parseRetryAfter, errorTexts,
  type Classification, type Operation, type ResponseFacts, type FailureFacts } from './classify.js';
export { planPartitions, type PartitionPlan } from './partitions.js';
export { createAxiosTransport, type Transport, type HttpAnswer, type HttpRequest } from './transport.js';
export * from './errors.js';
export { runBudget } from './governor-budget.js';
export { HISTORY_HOURS, totals as historyTotals, type HourUsage } from './governor-history.js';
export { tallyRequests, RequestTally, type RequestCount } from './request-tally.js';
export type * from './types.js';
export { ticketDetailUrl, webRootOf } from './web-links.js';
