/**
 * `autotask-sync <command>`: dispatches to one file per command (docs/contract.md#commands).
 * Commands are loaded lazily so `detect` or `sandbox` never open a Redis connection they do not need.
 */
import { AppError, errorMessage } from '../lib/errors.js';

type Command = (argv: string[]) => Promise<number>;

// Each command's file is added here as it lands (explicit, not a folder scan).
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  worker: { summary: 'run the workers, schedules and HTTP server until SIGINT/SIGTERM', load: async () => (await import('./worker.js')).workerCommand },
  run: { summary: 'run one job to completion in this process: run <job> [--json] [--dry-run] [--data <json>]', load: async () => (await import('./run.js')).runCommand },
  trigger: { summary: 'enqueue a job and print its id: trigger <job> [--data <json>]', load: async () => (await import('./trigger.js')).triggerCommand },
  dlq: { summary: 'dead-letter queue: dlq list | dlq requeue <id> | dlq requeue --all', load: async () => (await import('./dlq.js')).dlqCommand },
  sandbox: { summary: 'serve a simulated Autotask tenant: sandbox [--port 8090] [--scenario demo|empty] [--latency-ms N] [--fault-rate P]', load: async () => (await import('./sandbox.js')).sandboxCommand },
  demo: { summary: 'start a sandbox and a worker, run the whole pipeline once and print a summary [--once] [--port N]', load: async () => (await import('./demo.js')).demoCommand },
  doctor: { summary: 'read-only preflight of a tenant before the first write: doctor [--tenant id] [--json]', load: async () => (await import('./doctor.js')).doctorCommand },
  detect: { summary: 'offline problem detection: detect --input <tickets.jsonl> [--rules <file>]', load: async () => (await import('./detect.js')).detectCommand },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: autotask-sync <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`autotask-sync: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest);
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
