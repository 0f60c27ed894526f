/**
 * Issue 18, trap 7: the Compose file as shipped starts. Most CI machines have no `docker compose` (this one has
 * Docker without the plugin, and Debian's docker-compose 1.29 predates `env_file: required`), so the file is
 * validated against the official Compose Specification schema, the one `docker compose` itself validates with
 * (test/fixtures/compose-spec/, from compose-spec/compose-go), plus the references the schema cannot see. When
 * `docker compose` is installed it validates the file too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../config/load.js';
import { envSchema } from '../../../config/schema.js';
import { DEFAULT_CREDENTIALS } from '../../../src/sandbox/index.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface Service {
  profiles?: string[];
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  env_file?: Array<{ path: string; required?: boolean }>;
  volumes?: string[];
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;

/** The config a worker container loads: SYNC_CONFIG names a path in the image, which the Dockerfile copies from config/. */
function containerConfig(service: Service) {
  const env = { ...(service.environment ?? {}) };
  const inImage = env.SYNC_CONFIG ?? '/app/config/sync.json';
  expect(inImage).toMatch(/^\/app\/config\/[a-z-]+\.json$/);
  const file = inImage.replace('/app/', '');
  expect(read('Dockerfile')).toMatch(new RegExp(`^COPY [^\n]*\\b${file}\\b`, 'm'));
  delete env.SYNC_CONFIG;
  return loadConfig({ env, file: JSON.parse(read(file)) as unknown, credentials: 'ignore' });
}
const invoiceVolume = (service: Service): string | undefined => service.volumes?.find((v) => v.endsWith(':/data/invoices'))?.split(':')[0];
const hostPort = (service: Service): string | undefined => service.ports?.[0]?.split(':')[1];

function composeAvailable(): boolean {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

describe('docker-compose.yml', () => {
  it('publishes every port on 127.0.0.1 only', () => {
    const ports = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p] as const));
    expect(ports.length).toBeGreaterThan(0);
    for (const [name, port] of ports) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('has a demo profile that works with no edits: sandbox + worker whose config loads and points at the sandbox service', () => {
    const sandbox = services.sandbox!;
    const worker = services['demo-worker']!;
    expect(sandbox.profiles).toContain('demo');
    expect(worker.profiles).toContain('demo');
    expect(worker.env_file).toBeUndefined();
    const env = worker.environment!;
    // The sandbox prints, and the worker uses, the address other containers reach it at.
    const publicUrl = sandbox.command![sandbox.command!.indexOf('--public-url') + 1];
    expect(env.AUTOTASK_BASE_URL).toBe(`${publicUrl}/ATServicesRest/`);
    expect({ username: env.AUTOTASK_USERNAME, secret: env.AUTOTASK_SECRET, integrationCode: env.AUTOTASK_INTEGRATION_CODE })
      .toEqual({ ...DEFAULT_CREDENTIALS });
    const config = loadConfig({ env, file: {}, requireTenant: true });
    expect(config.adminToken).toBeDefined();
    expect(config.redisUrl).toBe('redis://redis:6379');
  });

  it('starts the real-tenant worker only in its profile (no restart loop without .env), and says which Compose it needs', () => {
    expect(services.worker!.profiles).toEqual(['tenant']);
    expect(services.worker!.env_file).toEqual([{ path: '.env', required: false }]);
    // env_file `required: false` needs Compose 2.24.
    expect(read('docker-compose.yml')).toMatch(/Compose v2\.24 or newer/);
    expect(read('README.md')).toMatch(/Compose (v)?2\.24/);
  });

  it('without .env the tenant worker fails its start in one line that says to fill in .env', () => {
    const env = { ...services.worker!.environment! };
    delete env.SYNC_CONFIG;
    expect(() => loadConfig({ env, file: {}, requireTenant: true }))
      .toThrow(/AUTOTASK_USERNAME, AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE: required .*set them in \.env, see \.env\.example/);
  });

  it('ships .env.example naming only variables the schema knows', () => {
    const names = read('.env.example').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]!);
    expect(names).toEqual(expect.arrayContaining(['AUTOTASK_USERNAME', 'AUTOTASK_SECRET', 'AUTOTASK_INTEGRATION_CODE', 'ADMIN_TOKEN']));
    for (const name of names) expect(Object.keys(envSchema.shape), name).toContain(name);
  });

  it('keeps the demo apart from a real tenant: own queue prefix, own invoice volume, own host port', () => {
    const demo = services['demo-worker']!;
    const tenant = services.worker!;
    const demoConfig = containerConfig(demo);
    const tenantConfig = containerConfig(tenant);
    // The prefix is every key's prefix: queues, first-run confirmation, cursors, ledgers (src/store/keys.ts).
    expect(demoConfig.queue.prefix).not.toBe(tenantConfig.queue.prefix);
    expect(tenantConfig.queue.prefix).toBe('autotask-sync');
    expect(demoConfig.redis).toEqual(tenantConfig.redis);
    expect(invoiceVolume(demo)).toBeDefined();
    expect(invoiceVolume(tenant)).toBeDefined();
    expect(invoiceVolume(demo)).not.toBe(invoiceVolume(tenant));
    expect(demo.environment!.INVOICE_OUTPUT_DIR).toBe('/data/invoices');
    expect(tenant.environment!.INVOICE_OUTPUT_DIR).toBe('/data/invoices');
    expect(hostPort(demo)).not.toBe(hostPort(tenant));
    // Inside its container a worker listens on every interface; the ports above publish it on 127.0.0.1 only.
    expect([demoConfig.host, tenantConfig.host]).toEqual(['0.0.0.0', '0.0.0.0']);
  });

  it('confirms the demo before its worker starts, as `autotask-sync demo` does, and only the demo', () => {
    const confirm = services['demo-confirm']!;
    expect(confirm.profiles).toEqual(['demo']);
    expect(confirm.command!.slice(0, 2)).toEqual(['confirm', '--all']);
    expect(confirm.environment).toEqual(services['demo-worker']!.environment);
    expect(confirm.restart).toBe('no');
    expect(services['demo-worker']!.depends_on!['demo-confirm']).toEqual({ condition: 'service_completed_successfully' });
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'demo-confirm') expect(service.command?.[0], name).not.toBe('confirm');
    }
  });

  it('gives up on a worker that cannot start instead of restarting it for ever', () => {
    for (const name of ['worker', 'demo-worker', 'sandbox']) expect(services[name]!.restart, name).toMatch(/^on-failure:\d+$/);
  });

  it('is valid against the Compose Specification schema, and every service, volume and dependency it names exists', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    const validate = ajv.compile(JSON.parse(read('test/fixtures/compose-spec/compose-spec.json')) as object);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(valid).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(Object.keys(services), `${name} depends on`).toContain(dependency);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/')) expect(Object.keys(compose.volumes), `${name} volume`).toContain(source);
      }
    }
  });

  it('the schema check catches a broken file (it is not a check that cannot fail)', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    const validate = ajv.compile(JSON.parse(read('test/fixtures/compose-spec/compose-spec.json')) as object);
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.worker!.env_file = [{ path: '.env', requird: false }];
    expect(validate(broken)).toBe(false);
    const typo = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    typo.services.worker!.depends_on = { redis: { conditon: 'service_healthy' } };
    expect(validate(typo)).toBe(false);
  });

  it.skipIf(!composeAvailable())('is a valid Compose file for docker compose (all profiles)', () => {
    execFileSync('docker', ['compose', '-f', 'docker-compose.yml', '--profile', 'demo', '--profile', 'tenant', 'config', '-q'],
      { cwd: new URL('.', root), stdio: 'pipe', timeout: 30_000 });
  });
});
