import { z } from 'zod';

export const pullSection = z.strictObject({
  contractsLookbackDays: z.number().int().min(0).max(3650).default(120)
    .describe('contracts ended within this many days are still pulled (late billing items reference them)'),
  ticketsLookbackDays: z.number().int().min(1).max(3650).default(90)
    .describe('tickets whose lastActivityDate is older are not pulled and are pruned from the store'),
  overlapMinutes: z.number().int().min(0).max(1440).default(10)
    .describe('each incremental pull starts this much before its cursor, against clock skew'),
  partitions: z.number().int().min(1).max(16).default(3)
    .describe('id-range partitions read concurrently on a full read (bounded by the slots per endpoint)'),
}).prefault({});
