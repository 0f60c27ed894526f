/** `sync-contracts`: active and recently ended contracts into the store (src/pull/pull-contracts.ts). */
import { pullContracts } from '../src/pull/pull-contracts.js';
import { definePullJob } from './define-pull-job.js';

export const syncContractsJob = definePullJob('sync-contracts', 'Contracts', pullContracts);
