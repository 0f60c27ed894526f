/**
 * Issue 18, trap 7: the Compose file as shipped starts. Checked by structure (parsed with `yaml`), since most CI
 * machines have no Docker; when `docker compose` is installed it also validates the file itself.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const services = compose.services;

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

  it('ships .env.example naming only variables the schema knows', () => {
    const names = read('.env.example').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]!);
    expect(names).toEqual(expect.arrayContaining(['AUTOTASK_USERNAME', 'AUTOTASK_SECRET', 'AUTOTASK_INTEGRATION_CODE', 'ADMIN_TOKEN']));
    for (const name of names) expect(Object.keys(envSchema.shape), name).toContain(name);
  });

  it.skipIf(!composeAvailable())('is a valid Compose file for docker compose (all profiles)', () => {
    execFileSync('docker', ['compose', '-f', 'docker-compose.yml', '--profile', 'demo', '--profile', 'tenant', 'config', '-q'],
      { cwd: new URL('.', root), stdio: 'pipe', timeout: 30_000 });
  });
});
