/**
 * The texts of a job result's warnings (`warnings`, `poWarnings`: arrays of `{ code, message }`), so human
 * output prints why something was skipped instead of leaving it inside `--json`.
 */
import type { JobResult } from '../../jobs/define-job.js';

export function warningTexts(result: Pick<JobResult, string>): string[] {
  const texts: string[] = [];
  for (const key of ['warnings', 'poWarnings']) {
    const list = result[key];
    if (!Array.isArray(list)) continue;
    for (const w of list as unknown[]) {
      if (typeof w !== 'object' || w === null || typeof (w as { message?: unknown }).message !== 'string') continue;
      const code = (w as { code?: unknown }).code;
      texts.push(`${typeof code === 'string' ? `${code}: ` : ''}${(w as { message: string }).message}`);
    }
  }
  return texts;
}
