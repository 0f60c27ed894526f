import { describe, expect, it } from 'vitest';
import { sandboxCommand } from '../../../src/cli/sandbox.js';
import type { SandboxHandle } from '../../../src/sandbox/index.js';

function sink(): { text: () => string; write: (s: string) => boolean } {
  let buffer = '';
  return { text: () => buffer, write: (s: string) => { buffer += s; return true; } };
}

describe('autotask-sync sandbox (sandboxCommand)', () => {
  it('serves the demo tenant, prints the root and credentials, and stops with 0', async () => {
    const out = sink();
    const stop = new AbortController();
    let handle: SandboxHandle | undefined;
    const done = sandboxCommand(['--port', '0', '--scenario', 'demo', '--username', 'cli@sandbox.local', '--seed', '3'], {
      stdout: out, stderr: sink(), signal: stop.signal, onReady: (h) => { handle = h; },
    });
    // Ready within 5 s (the poll fails otherwise; issue 3 asks for under 2 s, measured in the README).
    await expect.poll(() => handle, { timeout: 5000 }).toBeDefined();
    const sandbox = handle as SandboxHandle;
    expect(out.text()).toContain(sandbox.url);
    expect(out.text()).toContain('cli@sandbox.local');
    expect(out.text()).toContain('sandbox-secret');
    expect(out.text()).toContain('SANDBOXINTEGRATIONCODE00001');
    const zone = await fetch(`${sandbox.zoneUrl}V1.0/zoneInformation?user=cli%40sandbox.local`);
    expect((await zone.json() as { url: string }).url).toBe(sandbox.url);
    const reply = await fetch(`${sandbox.url}V1.0/BillingItems/query`, { method: 'POST', body: JSON.stringify({ filter: [{ op: 'gte', field: 'id', value: 0 }] }),
      headers: { 'Content-Type': 'application/json', UserName: 'cli@sandbox.local', Secret: 'sandbox-secret', ApiIntegrationCode: 'SANDBOXINTEGRATIONCODE00001' } });
    expect(reply.status).toBe(200);
    stop.abort();
    expect(await done).toBe(0);
    await expect(fetch(sandbox.url)).rejects.toThrow();
  });

  it('prints a base URL another container can use: never 0.0.0.0, the --public-url origin when given (issue 18)', async () => {
    for (const [extra, expected] of [[[], /AUTOTASK_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/ATServicesRest\/ /],
      [['--public-url', 'http://sandbox:8090'], /AUTOTASK_BASE_URL=http:\/\/sandbox:8090\/ATServicesRest\/ /]] as const) {
      const out = sink();
      const stop = new AbortController();
      let handle: SandboxHandle | undefined;
      const done = sandboxCommand(['--port', '0', '--host', '0.0.0.0', ...extra], { stdout: out, stderr: sink(), signal: stop.signal,
        onReady: (h) => { handle = h; } });
      await expect.poll(() => handle, { timeout: 5000 }).toBeDefined();
      expect(out.text()).toMatch(expected);
      stop.abort();
      expect(await done).toBe(0);
    }
  });

  it('refuses bad flags with exit code 2 and a usage line', async () => {
    for (const argv of [['--fault-rate', '2'], ['--scenario', 'big'], ['--nope'], ['--port', 'x'], ['--webhook-url', 'http://x']]) {
      const err = sink();
      expect(await sandboxCommand(argv, { stdout: sink(), stderr: err }), argv.join(' ')).toBe(2);
      expect(err.text()).toMatch(/usage: autotask-sync sandbox/);
    }
  });
});
