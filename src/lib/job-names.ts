/** The job names of docs/contract.md#jobs: queue job names and the `<job>` argument of `run` and `trigger`. */
export const JOB_NAMES = [
  'sync-contracts',
  'sync-billing-items',
  'sync-tickets',
  'build-invoices',
  'detect-problems',
  'push-time-entries',
  'tune-detection',
  'sync-all',
] as const;

export type JobName = (typeof JOB_NAMES)[number];

export function isJobName(value: string): value is JobName {
  return (JOB_NAMES as readonly string[]).includes(value);
}
