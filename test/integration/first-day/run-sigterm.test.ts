/**
 * Issue 18, trap: "`run` ignored its first SIGTERM for minutes." The real `autotask-sync run sync-tickets` process
 * reads the sandbox; after its third answered API request the test makes the sandbox hold every further answer for ten
 * minutes and sends SIGTERM. A `run` that waited for its job (or for a request to finish) would sit there for
 * minutes; the command must abort at once, exit 1 and say why on stderr in one line.
 * The second case signals once a read is held on the server: the client lets a read it sent run to its answer, so
 * its slot stays held while Autotask works on it (docs/autotask-api.md#thread-headroom), and only the process's stop
 * (the transport cutting the reads nobody waits for) keeps that read from holding the process for nine minutes.
 * No elapsed time is asserted: the wait for the exit is a generous bound far below the sandbox's hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTenant, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { confirmTenants } from '../../helpers/first-run.js';
import { sandboxEnv } from '../../helpers/harness.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

const BIN = fileURLToPath(new URL('../../../bin/autotask-sync.js', import.meta.url));
const HOLD_MS = 540_000;

let sandbox: SandboxHandle | undefined;
/** Tickets enough for many pages, so a read is still to be sent when the hold begins. */
let big: SandboxHandle | undefined;
let dir: string | undefined;
const prefix = uniquePrefix('run-sigterm');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scenario: 'demo' });
  big = await startSandbox({ port: 0, scenario: generateTenant({ seed: 18, now: new Date(), companies: 10, contracts: 10, tickets: 5_000, billingItems: 10 }) });
  dir = mkdtempSync(join(tmpdir(), 'autotask-sync-run-sigterm-'));
  await confirmTenants(prefix, ['default']);
});
afterAll(async () => {
  await sandbox?.close();
  await big?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  const redis = connectRedis();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

/**
 * Runs `autotask-sync run sync-tickets` against `target`; after its third answered API request the sandbox holds every
 * further answer and `signal` is called (it sends SIGTERM, now or once something has happened). Asserts the exit.
 */
async function interruptedRun(target: SandboxHandle, file: Record<string, unknown>,
  signal: (child: ChildProcess) => Promise<void>): Promise<void> {
  const config = join(dir!, 'sync.json');
  // Requests never time out before the hold ends: only the signal can end this run early.
  writeFileSync(config, JSON.stringify({ queue: { prefix }, autotask: { requestTimeoutMs: HOLD_MS + 60_000 }, ...file }));
  const child = spawn(process.execPath, [BIN, 'run', 'sync-tickets'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...sandboxEnv(target), REDIS_URL,
      SYNC_CONFIG: config, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, sig) => resolve({ code, signal: sig })));

  let answered = 0;
  let signalled = false;
  let onSignalled: () => void = () => undefined;
  const sent = new Promise<void>((resolve) => { onSignalled = resolve; });
  const off = target.onRequest((entry) => {
    if (signalled || entry.entity === null || entry.entity === 'zoneInformation') return;
    if (++answered < 3) return;
    signalled = true;
    // From now on Autotask "hangs": the job cannot finish on its own for nine minutes.
    target.setFaults({ latencyMs: HOLD_MS });
    void signal(child).then(onSignalled);
  });
  const bound = (ms: number) => new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms).unref());
  try {
    // The process may take a while to start on a busy machine; the bound that matters starts at the signal.
    await Promise.race([sent, exited, bound(120_000)]);
    const exit = signalled ? await Promise.race([exited, bound(60_000)]) : 'never signalled';
    if (exit === 'still running') child.kill('SIGKILL');
    expect(signalled, stderr).toBe(true);
    expect(exit, `stderr:\n${stderr}`).toEqual({ code: 1, signal: null });
    expect(stderr).toMatch(/^autotask-sync run sync-tickets: INTERRUPTED: interrupted by SIGTERM$/m);
    expect(stdout).toBe('');
  } finally {
    off();
    target.setFaults({ latencyMs: 0 });
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('autotask-sync run and SIGTERM', () => {
  it('aborts the running job on the first SIGTERM and exits 1 with one line saying so', async () => {
    await interruptedRun(sandbox!, {}, async (child) => { child.kill('SIGTERM'); });
  }, 240_000);

  it('with a read in flight at the signal, the process does not wait for Autotask to answer it', async () => {
    // The signal goes once a read is held on the server: the client lets a read it sent run to its answer (its slot
    // stays held meanwhile), so only the process's stop can cut this one.
    await interruptedRun(big!, { pull: { ticketsLookbackDays: 400 } }, async (child) => {
      while ((big!.stats().endpoints.Tickets?.inFlight ?? 0) === 0 && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      child.kill('SIGTERM');
    });
  }, 240_000);
});
