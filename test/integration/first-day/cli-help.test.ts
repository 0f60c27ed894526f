/** Issue 18, trap 8: `--help` works for every command (it failed with a parser error for several), and `--version`. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../../bin/autotask-sync.js', import.meta.url));
const run = promisify(execFile);

describe('autotask-sync --help and --version', () => {
  it.each(['worker', 'run', 'trigger', 'dlq', 'invoices', 'confirm', 'sandbox', 'demo', 'doctor', 'detect'])('%s --help prints its usage and exits 0', async (command) => {
    // The environment is passed on as it is (REDIS_URL included); --help must not need any of it.
    const { stdout } = await run(process.execPath, [BIN, command, '--help'], { env: process.env, timeout: 30_000 });
    expect(stdout).toContain(`usage: autotask-sync ${command}`);
  }, 40_000);

  it('--version prints the package version', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--version'], { env: process.env, timeout: 30_000 });
    expect(stdout).toMatch(/^autotask-sync \d+\.\d+\.\d+\n$/);
  }, 40_000);
});
