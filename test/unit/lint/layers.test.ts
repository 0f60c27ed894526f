/**
 * The layer picture is enforced by lint (eslint.config.js): an import against it fails `npm run lint`, and so
 * `npm test`. Each case lints a small source as if it stood at the given path, through ESLint's own Node API and
 * the repository's config, and expects exactly the restricted-import error — or none, for the allowed controls.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, from: string): Promise<string[]> {
  const source = `import { thing } from '${from}';\n\nexport const used = thing;\n`;
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint enforces the layers', () => {
  it.each([
    ['an HTTP route reaching the store', 'src/http/routes/violation.ts', '../../store/keys.js'],
    ['an HTTP route calling the Autotask client', 'src/http/routes/violation.ts', '../../autotask/index.js'],
    ['an HTTP route calling the rules', 'src/http/routes/violation.ts', '../../rules/stopwatch.js'],
    ['the store depending on the client', 'src/store/violation.ts', '../autotask/schemas/index.js'],
    ['the client knowing store keys', 'src/autotask/violation.ts', '../store/keys.js'],
    ['the runtime importing HTTP', 'src/runtime/violation.ts', '../http/server.js'],
    ['the runtime starting the sandbox', 'src/runtime/violation.ts', '../sandbox/index.js'],
    ['a job reaching into the runtime', 'jobs/violation.ts', '../src/runtime/enqueue.js'],
    ['rules doing I/O', 'src/rules/violation.ts', 'ioredis'],
    ['rules logging', 'src/rules/violation.ts', '../lib/logger.js'],
  ])('refuses %s', async (_what, filePath, from) => {
    expect(await restrictedImports(filePath, from)).toHaveLength(1);
  });

  it.each([
    ['an HTTP route calling a runtime command', 'src/http/routes/allowed.ts', '../../runtime/commands/index.js'],
    ['the CLI starting the sandbox', 'src/cli/allowed.ts', '../sandbox/index.js'],
    ['the composition root wiring HTTP', 'src/app/allowed.ts', '../http/server.js'],
    ['a job using its scope type', 'jobs/allowed.ts', '../src/scope/tenant-scope.js'],
  ])('allows %s', async (_what, filePath, from) => {
    expect(await restrictedImports(filePath, from)).toEqual([]);
  });
});
