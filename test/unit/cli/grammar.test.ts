/**
 * Issue 18, trap 8 (grammar): human output reads as sentences — "1 group", not "1 groups". Counts go through
 * `plural()` (src/lib/plural.ts); the scan below keeps new `${n} things` templates from creeping back in.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCommand } from '../../../src/cli/detect.js';
import { formatSummary, type DemoSummary } from '../../../src/demo/summary.js';
import { narcolepticServer } from '../rules/detection/stories.js';

const root = new URL('../../../', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'grammar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sources(folder: string): string[] {
  const path = new URL(folder, root).pathname;
  return readdirSync(path).flatMap((name) => {
    const full = join(path, name);
    if (statSync(full).isDirectory()) return sources(`${folder}/${name}`);
    return name.endsWith('.ts') ? [full] : [];
  });
}

describe('counts in human output', () => {
  it('detect says "1 group" for one group', async () => {
    const input = join(dir, 'one-group.jsonl');
    writeFileSync(input, narcolepticServer().tickets.map((t) => JSON.stringify(t)).join('\n') + '\n');
    let err = '';
    const code = await detectCommand(['--input', input], { stdout: { write: () => true }, stderr: { write: (s: string) => { err += s; } } });
    expect(code).toBe(0);
    expect(err).toMatch(/^detect: 14 tickets, 1 group, \d+ tickets? to link/);
  });

  it('the demo summary says "1 invoice", "1 billing item", "1 item", "1 contract" and "1 incident"', () => {
    const summary: DemoSummary = {
      companies: new Map([[7, 'Contoso']]),
      invoices: [{ companyID: 7, purchaseOrderNumber: 'PO-1', items: 1, total: 10, status: 'delivered', contractIDs: [3] }],
      problems: [{ id: 9, ticketNumber: 'T1', title: 'Backup fails', companyID: 7, createdByRun: true, incidents: [{ id: 10, ticketNumber: 'T2' }] }],
      timeEntries: [], urls: { console: '', dashboard: '', metrics: '', api: '' }, invoiceDir: '/tmp/x', adminToken: 't', seconds: 1,
    };
    const text = formatSummary(summary, { once: true });
    expect(text).toContain('(1 invoice, 1 billing item)');
    expect(text).toMatch(/PO PO-1\s+1 item\s+10\.00\s+1 contract\s+delivered/);
    expect(text).toContain('    1 incident: T2');
    expect(text).not.toMatch(/\b1 (invoices|items|billing items|incidents|contracts)\b/);
  });

  it('no `${count} things` template is left in the CLI, demo, runtime or job summaries', () => {
    // A count interpolated right before a plural noun prints "1 groups" when the count is 1.
    const pattern = /\$\{[^{}]*(\.length|\.size|[cC]ount\b)[^{}]*\} [a-z]+s\b/;
    const offenders = ['src/cli', 'src/demo', 'src/runtime', 'src/app', 'jobs'].flatMap(sources)
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').map((line, i) => [file, i + 1, line] as const))
      .filter(([, , line]) => pattern.test(line)).map(([file, n, line]) => `${file}:${n}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
