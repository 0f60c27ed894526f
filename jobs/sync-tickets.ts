/** `sync-tickets`: tickets active within the look-back into the store (src/pull/pull-tickets.ts). */
import { pullTickets } from '../src/pull/pull-tickets.js';
import { definePullJob } from './define-pull-job.js';

export const syncTicketsJob = definePullJob('sync-tickets', 'Tickets', pullTickets);
