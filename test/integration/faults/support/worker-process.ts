/**
 * The real `autotask-sync worker` executable as a child process (bin/autotask-sync.js, as an operator or a
 * container runs it), so a test can SIGKILL it at any moment and start another: nothing of the product runs in
 * the test's own process. Its JSON log lines are kept (bounded) to explain a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../../bin/autotask-sync.js', import.meta.url));
const LOG_LINES_KEPT = 400;

export class WorkerProcess {
  private readonly lines: string[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly name: string, private readonly child: ChildProcess) {
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        this.lines.push(line);
        if (this.lines.length > LOG_LINES_KEPT) this.lines.splice(0, this.lines.length - LOG_LINES_KEPT);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts a worker with exactly `env` (plus PATH/HOME) and resolves once it logged "worker running". */
  static async start(name: string, env: Record<string, string>, timeoutMs = 30_000): Promise<WorkerProcess> {
    const child = spawn(process.execPath, [BIN, 'worker'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(name, child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        // The caller never gets a handle to a worker that did not start: stop it here, or it outlives the run.
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${worker.tail()}`));
      }, timeoutMs);
      const onData = (chunk: Buffer): void => {
        if (!chunk.toString().includes('"msg":"worker running"')) return;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      };
      child.stdout?.on('data', onData);
      void worker.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code ?? signal}) before it ran:\n${worker.tail()}`));
      });
    });
    return worker;
  }

  get pid(): number | undefined { return this.child.pid; }

  get running(): boolean { return this.child.exitCode === null && this.child.signalCode === null; }

  /** Sends the signal now (synchronously: a SIGKILL sent here lands before this process answers anything). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.signal(signal);
    return this.exited;
  }

  whenExited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** Log lines whose JSON `msg` or text matches. */
  logLines(match: RegExp): string[] {
    return this.lines.filter((line) => match.test(line));
  }

  tail(count = 40): string {
    return this.lines.slice(-count).join('\n');
  }
}
