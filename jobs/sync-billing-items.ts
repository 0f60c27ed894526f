/** `sync-billing-items`: the open (not invoiced, not exported) billing items into the store (src/pull/pull-billing-items.ts). */
import { pullBillingItems } from '../src/pull/pull-billing-items.js';
import { definePullJob } from './define-pull-job.js';

export const syncBillingItemsJob = definePullJob('sync-billing-items', 'BillingItems', pullBillingItems);
