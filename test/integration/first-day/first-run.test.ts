/**
 * Issue 18, trap 3: a new install writes nothing to its tenant before a person confirmed. Until then what the
 * queue runs (schedules, triggers, webhooks) makes its writing stages dry runs and leaves the result for review;
 * `autotask-sync confirm` lets writes go out; an operator's explicit `run <job>` writes as asked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { confirmCommand } from '../../../src/cli/confirm.js';
import { runCommand } from '../../../src/cli/run.js';
import { sandboxEnv } from '../../helpers/harness.js';
import { startProduct, runJob, type Product } from '../../helpers/product.js';
import { REDIS_URL } from '../../helpers/redis.js';
import { capture } from '../runtime/support.js';

let product: Product | undefined;
afterEach(async () => { await product?.close(); product = undefined; });


function writesTo(p: Product): number {
  return Object.values(p.sandbox.stats().writes).reduce((n, byMethod) => n + Object.values(byMethod).reduce((a, b) => a + (b ?? 0), 0), 0);
}

function cli(p: Product) {
  const stdout = capture();
  const stderr = capture();
  return { stdout, stderr, deps: { stdout: stdout.stream, stderr: stderr.stream,
    loadOptions: { env: { ...sandboxEnv(p.sandbox), REDIS_URL, LOG_LEVEL: 'silent' as const }, file: { queue: { prefix: p.config.queue.prefix } } } } };
}

describe('first-run mode', () => {
  it('a queued sync-all on a new install writes nothing, shows what it would write, and writes once confirmed', async () => {
    product = await startProduct({ firstRun: 'new' });
    await runJob(product, 'sync-all');
    expect(writesTo(product)).toBe(0);

    const show = cli(product);
    expect(await confirmCommand(['--show'], show.deps), show.stderr.text()).toBe(0);
    expect(show.stdout.text()).toMatch(/^default: first-run mode, writes are dry runs until confirmed$/m);
    expect(show.stdout.text()).toMatch(/build-invoices at .*: [1-9]\d* writes held back/);
    expect(show.stdout.text()).toMatch(/detect-problems at .*: [1-9]\d* writes? held back/);

    const confirm = cli(product);
    expect(await confirmCommand(['--by', 'alice@example.com'], confirm.deps), confirm.stderr.text()).toBe(0);
    expect(confirm.stdout.text()).toMatch(/^default: confirmed \S+ by alice@example.com; writes go out as configured$/m);

    // The pulls already ran; the writing job alone now writes.
    await runJob(product, 'build-invoices');
    expect(product.sandbox.stats().writes.BillingItems?.PATCH ?? 0).toBeGreaterThan(0);
  }, 60_000);

  it('an explicit run <job> writes as asked, before any confirmation', async () => {
    product = await startProduct({ firstRun: 'new', worker: false });
    const run = cli(product);
    expect(await runCommand(['sync-all'], run.deps), run.stderr.text()).toBe(0);
    expect(writesTo(product)).toBeGreaterThan(0);
  }, 60_000);
});
