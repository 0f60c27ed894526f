/**
 * `autotask-sync <command>`: dispatches to one file per command (docs/contract.md#commands).
 * Commands are loaded lazily so `detect` or `sandbox` never open a Redis connection they do not need.
 */
import { readFile } from 'node:fs/promises';
import { AppError, errorMessage } from '../lib/errors.js';

type Command = (argv: string[]) => Promise<number>;
interface CommandModule { USAGE: string }

// Each command's file is added here as it lands (explicit, not a folder scan).
const commands: Record<string, { summary: string; module: () => Promise<unknown>; run: string }> = {
  worker: { summary: 'run the workers, schedules and HTTP server until SIGINT/SIGTERM', module: () => import('./worker.js'), run: 'workerCommand' },
  run: { summary: 'run one job to completion in this process: run <job> [--json] [--dry-run] [--data <json>]', module: () => import('./run.js'), run: 'runCommand' },
  trigger: { summary: 'enqueue a job and print its id: trigger <job> [--data <json>]', module: () => import('./trigger.js'), run: 'triggerCommand' },
  confirm: { summary: 'leave first-run mode: show what the dry runs would write, then let writes go out [--tenant <id>|--all] [--show]', module: () => import('./confirm.js'), run: 'confirmCommand' },
  dlq: { summary: 'dead-letter queue: dlq list | dlq requeue <id> | dlq requeue --all', module: () => import('./dlq.js'), run: 'dlqCommand' },
  invoices: { summary: 'invoice documents and their approval: invoices list | invoices approve|reject <invoiceKey> --version <v>', module: () => import('./invoices.js'), run: 'invoicesCommand' },
  sandbox: { summary: 'serve a simulated Autotask tenant: sandbox [--port 8090] [--scenario demo|empty] [--latency-ms N] [--fault-rate P]', module: () => import('./sandbox.js'), run: 'sandboxCommand' },
  demo: { summary: 'start a sandbox and a worker, run the whole pipeline once and print a summary [--once] [--port N]', module: () => import('./demo.js'), run: 'demoCommand' },
  doctor: { summary: 'read-only preflight of a tenant before the first write: doctor [--tenant id] [--json]', module: () => import('./doctor.js'), run: 'doctorCommand' },
  detect: { summary: 'offline problem detection: detect --input <tickets.jsonl> [--rules <file>]', module: () => import('./detect.js'), run: 'detectCommand' },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: autotask-sync <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

/** The version of package.json next to src/ (a checkout) or dist/ (the image). */
async function packageVersion(): Promise<string> {
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      const text = await readFile(new URL(path, import.meta.url), 'utf8');
      const parsed = JSON.parse(text) as { name?: string; version?: string };
      if (parsed.name === 'autotask-sync' && parsed.version) return parsed.version;
    } catch {
      // try the next place
    }
  }
  return 'unknown';
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`autotask-sync ${await packageVersion()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`autotask-sync: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const loaded = (await command.module()) as CommandModule & Record<string, Command>;
  // --help anywhere before a `--` asks for the command's usage, whatever its own parser would make of it.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
    process.stdout.write(`${command.summary}\n\n${loaded.USAGE.trimEnd()}\n`);
    return 0;
  }
  return loaded[command.run]!(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    // One line on stderr, the stable code first: scripts and operators grep for it.
    const code = error instanceof AppError ? `${error.code}: ` : '';
    process.stderr.write(`autotask-sync: ${code}${errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);
