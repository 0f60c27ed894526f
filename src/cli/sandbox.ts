/**
 * `autotask-sync sandbox`: serves a simulated Autotask tenant (docs/contract.md#commands) until
 * SIGINT/SIGTERM, printing the REST root and the credentials it accepts.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startSandbox, type SandboxHandle } from '../sandbox/index.js';
import { plural } from '../lib/plural.js';

export interface SandboxCommandIo {
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
  /** Stops the server like SIGINT does (tests). */
  signal?: AbortSignal;
  /** Called once the sandbox listens (tests). */
  onReady?: (handle: SandboxHandle) => void;
}

export const USAGE = `usage: autotask-sync sandbox [--port 8090] [--host 127.0.0.1] [--scenario demo|empty] [--latency-ms N]
       [--latency-jitter-ms N] [--fault-rate P] [--lost-response-rate P] [--thread-limit N] [--threshold N]
       [--username U] [--secret S] [--integration-code C] [--seed N] [--webhook-url URL --webhook-secret S]
       [--public-url http://sandbox:8090]   (the origin printed for the worker, e.g. the Compose service name)
`;

function number(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`--${name} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export async function sandboxCommand(argv: string[], io: SandboxCommandIo = {}): Promise<number> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  let handle: SandboxHandle;
  let publicUrl: string | undefined;
  try {
    const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: {
      port: { type: 'string', default: '8090' }, host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string', default: 'demo' }, 'latency-ms': { type: 'string' }, 'latency-jitter-ms': { type: 'string' },
      'fault-rate': { type: 'string' }, 'lost-response-rate': { type: 'string' }, 'thread-limit': { type: 'string' },
      threshold: { type: 'string' }, username: { type: 'string' }, secret: { type: 'string' },
      'integration-code': { type: 'string' }, seed: { type: 'string' }, 'webhook-url': { type: 'string' },
      'webhook-secret': { type: 'string' }, 'public-url': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } });
    if (values.help) { out.write(USAGE); return 0; }
    if (values['public-url'] !== undefined) {
      if (!/^https?:\/\/[^/]+$/.test(values['public-url'])) throw new RangeError(`--public-url must be an origin such as http://sandbox:8090, got "${values['public-url']}"`);
      publicUrl = values['public-url'];
    }
    if (values.scenario !== 'demo' && values.scenario !== 'empty') throw new RangeError(`--scenario must be demo or empty, got "${values.scenario}"`);
    if ((values['webhook-url'] === undefined) !== (values['webhook-secret'] === undefined)) {
      throw new RangeError('--webhook-url and --webhook-secret go together');
    }
    const limit = number('threshold', values.threshold, 1, 10_000_000);
    handle = await startSandbox({
      port: number('port', values.port, 0, 65_535), host: values.host, scenario: values.scenario,
      latencyMs: number('latency-ms', values['latency-ms'], 0, 600_000),
      latencyJitterMs: number('latency-jitter-ms', values['latency-jitter-ms'], 0, 600_000),
      faultRate: number('fault-rate', values['fault-rate'], 0, 1),
      lostResponseRate: number('lost-response-rate', values['lost-response-rate'], 0, 1),
      threadLimit: number('thread-limit', values['thread-limit'], 1, 1000),
      threshold: limit === undefined ? {} : { limit },
      seed: number('seed', values.seed, 0, 2 ** 31),
      credentials: { ...(values.username ? { username: values.username } : {}), ...(values.secret ? { secret: values.secret } : {}),
        ...(values['integration-code'] ? { integrationCode: values['integration-code'] } : {}) },
      ...(values['webhook-url'] && values['webhook-secret'] ? { webhook: { url: values['webhook-url'], secret: values['webhook-secret'] } } : {}),
    });
  } catch (error) {
    err.write(`autotask-sync sandbox: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { credentials } = handle;
  // The address the worker should use: 0.0.0.0 is where the sandbox listens, never where anyone can reach it.
  // In Compose the worker reaches it by service name (--public-url http://sandbox:8090).
  const listening = new URL(handle.url);
  const reachable = publicUrl
    ? `${publicUrl}${listening.pathname}`
    : listening.hostname === '0.0.0.0' ? handle.url.replace('//0.0.0.0', '//127.0.0.1') : handle.url;
  out.write([
    `Autotask sandbox listening (${plural(handle.data.count('Tickets'), 'ticket')}, ${plural(handle.data.count('BillingItems'), 'billing item')})`,
    `  REST root:        ${handle.url}`,
    `  zone discovery:   ${handle.zoneUrl}V1.0/zoneInformation?user=${encodeURIComponent(credentials.username)}`,
    `  username:         ${credentials.username}`,
    `  secret:           ${credentials.secret}`,
    `  integration code: ${credentials.integrationCode}`,
    `  for the worker:   AUTOTASK_BASE_URL=${reachable} AUTOTASK_USERNAME=${credentials.username} AUTOTASK_SECRET=${credentials.secret} AUTOTASK_INTEGRATION_CODE=${credentials.integrationCode}`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'));
  io.onReady?.(handle);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop, { once: true });
  });
  await handle.close();
  out.write('Autotask sandbox stopped.\n');
  return 0;
}

// `npx tsx src/cli/sandbox.ts --port 8090` runs it directly, before the command is wired into main.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  sandboxCommand(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
    process.stderr.write(`autotask-sync sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
