/**
 * A Redis server of the test's own (a child `redis-server` on a free port, in a temporary directory), so it can
 * be killed and restarted mid-run without touching the shared instance on 6379. `persistent` gives it an
 * append-only file fsynced on every write, as the compose file's Redis: a restart then loses nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServerOptions {
  /** Added to the command line (cluster, replica or sentinel settings). */
  args?: (port: number) => string[];
  /** The text of a config file written into the directory and passed first (sentinel mode needs one it can rewrite). */
  configFile?: (port: number, dir: string) => string;
  /** A directory shared with the other servers of one test, removed by whoever created it. */
  dir?: string;
}

export class RedisServer {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(readonly port: number, readonly dir: string, readonly persistent: boolean,
    private readonly firstArgs: readonly string[], private readonly extraArgs: readonly string[], private readonly ownsDir: boolean) {}

  /**
   * `args` are added to the command line (cluster or replica settings); `dir` shares a directory with other
   * servers of one test (each still writes its own files there), removed by whoever created it.
   */
  static async start(persistent: boolean, options: RedisServerOptions = {}): Promise<RedisServer> {
    const port = await freePort();
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'autotask-sync-redis-'));
    const config = options.configFile?.(port, dir);
    // A config file (sentinel mode needs one it can rewrite) must be the first argument of redis-server.
    const first: string[] = [];
    if (config !== undefined) {
      const path = join(dir, `redis-${port}.conf`);
      writeFileSync(path, config);
      first.push(path);
    }
    const server = new RedisServer(port, dir, persistent, first, options.args?.(port) ?? [], options.dir === undefined);
    try {
      await server.launch();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    const persistence = this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    this.output = '';
    const child = spawn('redis-server', [...this.firstArgs, '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '',
      ...persistence, '--daemonize', 'no', ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => { this.output += chunk.toString(); });
    child.stderr?.on('data', (chunk: Buffer) => { this.output += chunk.toString(); });
    this.child = child;
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      const until = Date.now() + 10_000;
      for (;;) {
        try {
          if (probe.status !== 'ready') await probe.connect();
          if ((await probe.ping()) === 'PONG') return;
        } catch {
          probe.disconnect();
        }
        if (child.exitCode !== null || Date.now() > until) throw new Error(`redis-server on ${this.port} did not start:\n${this.output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      probe.disconnect();
    }
  }

  /** SIGKILL: the server dies as in a crash (a persistent one has already fsynced every write). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Sends SIGKILL without waiting (for use inside a synchronous hook). */
  killNow(): void {
    this.child?.kill('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** What the server printed (to explain a failure). */
  log(): string {
    return this.output;
  }
}
