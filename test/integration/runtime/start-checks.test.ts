/**
 * A worker checks the Problem template against each tenant when it starts (audit of issue 16 item 6): a template
 * that does not fit is logged at start naming the field, not found only inside the first detect-problems run.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/lib/logger.js';
import { startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

function capture(): { lines: Array<{ level: number; msg: string; tenant?: string; code?: string }>; logger: ReturnType<typeof createLogger> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString('utf8')) as never); done(); } });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('worker start', () => {
  it('warns naming the field when the Problem template does not fit the tenant, and writes nothing', async () => {
    const { lines, logger } = capture();
    p = await startProduct({ logger, file: { detection: { problem: { fields: { issueType: 12, subIssueType: 145 } } } } });
    await expect.poll(() => lines.find((l) => l.code === 'DETECTION_PROBLEM_SETTINGS'), { timeout: 10_000 }).toMatchObject({
      level: 40, tenant: 'default', msg: expect.stringMatching(/^detection\.problem\.fields\.subIssueType: 145 belongs to issueType 7/) });
    expect(p.sandbox.requestLog.filter((r) => r.method !== 'GET' && !r.path.includes('/query'))).toEqual([]);
  });

  it('says nothing of the template when it fits', async () => {
    const { lines, logger } = capture();
    p = await startProduct({ logger, file: { detection: { problem: { fields: { issueType: 7, subIssueType: 145 } } } } });
    await expect.poll(() => lines.find((l) => /Problem template fits/.test(l.msg)), { timeout: 10_000 }).toMatchObject({ tenant: 'default' });
    expect(lines.filter((l) => l.code === 'DETECTION_PROBLEM_SETTINGS')).toEqual([]);
  });
});
