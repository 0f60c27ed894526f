/**
 * Issue 17 item 3: a fast, safe stop. The real `autotask-sync worker` process gets SIGTERM while sync-all's
 * build-invoices stage is marking billing items (sent when the sandbox applies the 20th mark: an event, not a timer). With a grace
 * period far longer than the run, a worker that waited for its jobs would finish the whole run before exiting;
 * instead the job must stop at its next safe point, go back to the queue, and the process exit 0 with most
 * items still unmarked. A second worker then completes the run, and every item is marked exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { Deployment } from './support/deployment.js';
import { poll } from './support/scenario.js';

const NOW = new Date();
const KILL_AT_MARK = 20;

describe('SIGTERM in the middle of invoicing', () => {
  let sandbox: SandboxHandle | undefined;
  let deployment: Deployment | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, scenario: 'demo', now: NOW, latencyMs: 5, latencyJitterMs: 5 });
    // 60 s of grace: only a stop at a safe point (not the grace running out) can end the process early.
    deployment = new Deployment({ label: 'fast-stop', sandbox, file: { queue: { shutdownGraceMs: 60_000 } } });
  });

  afterAll(async () => {
    await deployment?.close().catch(() => undefined);
    await sandbox?.close().catch(() => undefined);
  });

  it('stops at the next safe point, exits 0, and the next start finishes the run exactly once', async () => {
    const d = deployment!;
    const s = sandbox!;
    const patches = new Map<number, number>();
    let marks = 0;
    let marksAtExit = -1;
    const first = await d.startWorker('first');
    void first.whenExited().then(() => { marksAtExit = marks; });
    const update = s.data.update.bind(s.data);
    s.data.update = (entity, id, patch) => {
      const made = update(entity, id, patch);
      if (entity === 'BillingItems' && 'webServiceDate' in patch) {
        patches.set(id, (patches.get(id) ?? 0) + 1);
        if (++marks === KILL_AT_MARK) first.signal('SIGTERM');
      }
      return made;
    };
    const total = DEMO_FACTS.openBillingItemCount;
    const id = await d.trigger('sync-all');

    // A generous bound only so a hung process fails the test; the figure that matters is the exit code.
    const exit = await Promise.race([first.whenExited(), poll(async () => undefined, 60_000, 'the worker to exit')]);
    expect(exit, first.tail()).toEqual({ code: 0, signal: null });
    expect(first.logLines(/stopping running jobs at their next safe point/).length).toBe(1);
    expect(marksAtExit, `stopped mid-run, not after the whole run\n${first.tail(15)}`).toBeLessThan(total / 2);
    expect(first.logLines(/"job":"build-invoices".*job goes back to the queue without spending an attempt/).length,
      'build-invoices went back to the queue').toBe(1);

    await d.startWorker('second');
    const state = await poll(async () => {
      const { state: now } = await d.jobState(id);
      return now === 'completed' || now === 'failed' ? now : undefined;
    }, 120_000, 'the run to complete after the restart');
    expect(state).toBe('completed');
    expect(marks).toBe(total);
    expect([...patches.values()].filter((n) => n !== 1), 'every item marked exactly once').toEqual([]);
    expect(s.data.all('BillingItems').filter((b) => b.invoiceID === null && b.webServiceDate === null)).toEqual([]);
    console.info(`fast stop: SIGTERM at mark ${KILL_AT_MARK}, exited at mark ${marksAtExit} of ${total}`);
  }, 240_000);
});
