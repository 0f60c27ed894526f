import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GovernorRig, TENANT } from './support.js';

const holder = fileURLToPath(new URL('./hold-slots.ts', import.meta.url));
const LEASE_MS = 3_000;

let rig: GovernorRig;
let child: ChildProcess | undefined;
beforeEach(() => { rig = new GovernorRig(); });
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rig.cleanup();
});

/** Starts the holder and resolves once it holds every slot. */
function startHolder(prefix: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', holder, prefix, TENANT, 'Tickets', '3', String(LEASE_MS)],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    proc.stdout?.on('data', (chunk: Buffer) => { if (chunk.toString().includes('held')) resolve(proc); });
    proc.on('exit', (code) => reject(new Error(`holder exited (${code}) before holding: ${stderr}`)));
    proc.on('error', reject);
  });
}

describe('a crashed holder', () => {
  it('loses its slots when its lease runs out, not before', async () => {
    const governor = rig.governor({ slotLeaseMs: LEASE_MS });
    child = await startHolder(rig.prefix);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    // Right after it died, all 3 slots are still leased to the dead process (nothing frees them early)…
    expect((await governor.snapshot()).slotsInUse).toEqual({ Tickets: 3 });
    // …and then they free by themselves: a waiter gets one without anyone releasing (the signal only bounds
    // a hang; how long it took is not the claim).
    const lease = await governor.acquire('Tickets', AbortSignal.timeout(LEASE_MS * 20));
    // Each dead slot has its own expiry (renewed at slightly different moments), so the other two may run out a
    // moment after the first: wait for that, and see that only the waiter's own slot remains.
    await expect.poll(async () => (await governor.snapshot()).slotsInUse, { timeout: LEASE_MS * 20, interval: 100 })
      .toEqual({ Tickets: 1 });
    await lease.release();
  });
});
