import { z } from 'zod';

export const pullSection = z.strictObject({
  /** Contracts ended within this many days are still pulled (late billing items reference them). */
  contractsLookbackDays: z.number().int().min(0).max(3650).default(120),
  /** Tickets whose lastActivityDate is older than this are not pulled and are pruned from the store. */
  ticketsLookbackDays: z.number().int().min(1).max(3650).default(90),
  /** The incremental cursor is moved back by this much on each run, against clock skew. */
  overlapMinutes: z.number().int().min(0).max(1440).default(10),
  /** Id-range partitions read concurrently on a full read (bounded by the 3 slots per endpoint). */
  partitions: z.number().int().min(1).max(16).default(3),
}).prefault({});
