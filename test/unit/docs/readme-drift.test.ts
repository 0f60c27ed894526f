/**
 * The README says what the code does: the metric names /metrics registers, /readyz's per-tenant degradation,
 * the per-tenant webhook route, the commands' usage lines, and what marking billing items costs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USAGE as TRIGGER_USAGE } from '../../../src/cli/trigger.js';
import { createMetrics, type MetricsDeps } from '../../../src/http/metrics.js';
import { silentLogger } from '../../../src/lib/logger.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
/** One bullet of a list: from its start to the next bullet. */
const bullet = (start: string): string => readme.slice(readme.indexOf(start), readme.indexOf('\n- ', readme.indexOf(start)));
const contract = readFileSync(new URL('../../../docs/contract.md', import.meta.url), 'utf8');
const httpRow = (route: string, text = readme): string => text.split('\n').find((l) => l.startsWith(`| \`${route}\``)) ?? '';

describe('README', () => {
  it('lists every metric /metrics registers, and no other', () => {
    // Registering the series needs no queue or tenant; they are read only at scrape time.
    const metrics = createMetrics({ queues: {} as MetricsDeps['queues'], tenants: {} as MetricsDeps['tenants'], logger: silentLogger(), defaultMetrics: false });
    const registered = metrics.registry.getMetricsAsArray().map((m) => m.name).sort();
    const listed = [...bullet('- **Metrics**').matchAll(/`(autotask_[a-z_]+)(\{[^}]*\})?`/g)].map((m) => m[1]!).sort();
    expect(listed).toEqual(registered);
  });

  it.each([['README.md', readme], ['docs/contract.md', contract]])('%s says /readyz stays ready while one tenant degrades', (_name, text) => {
    const row = httpRow('GET /readyz', text);
    expect(row).not.toMatch(/every tenant answer/);
    expect(row).toMatch(/degraded/);
    expect(row).toMatch(/at least one tenant/);
  });

  it.each([['README.md', readme], ['docs/contract.md', contract]])('%s names the per-tenant webhook route and secret', (_name, text) => {
    const row = httpRow('POST /webhooks/autotask', text);
    expect(row).toContain('?tenant=<id>');
    expect(row).toContain('webhookSecretEnv');
  });

  it('shows trigger with every option its usage line has', () => {
    const row = readme.split('\n').find((l) => l.startsWith('| `autotask-sync trigger')) ?? '';
    for (const option of TRIGGER_USAGE.match(/--[a-z-]+/g) ?? []) expect(row, option).toContain(option);
  });

  it('counts the reads that marking billing items adds, not only the PATCHes', () => {
    const row = readme.split('\n').find((l) => l.startsWith('| requests per billing item marked')) ?? '';
    expect(row).toMatch(/about 2 reads per 500 items/);
  });
});
