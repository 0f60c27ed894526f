/** One line of `autotask-sync doctor` (src/runtime/commands/doctor.ts) and the fix for a failed Autotask read. */
import { AppError } from '../../lib/errors.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  fix: string;
}

export const check = (name: string, status: CheckStatus, detail: string, fix = ''): DoctorCheck => ({ name, status, detail, fix });

export function failureFix(error: unknown, what: string): string {
  const code = error instanceof AppError ? error.code : '';
  if (code === 'AUTOTASK_PERMISSION') return `give the API user's security level read access to ${what}`;
  if (code === 'AUTOTASK_AUTH') return 'check the API user name, secret and integration code (and the zone URL)';
  return 'see the detail; run doctor again once Autotask answers';
}
