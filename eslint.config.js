// Flat config. Besides the usual checks it enforces the layers the README's Development section draws:
//   cli, app -> runtime commands -> jobs -> pull/push -> rules + client (src/autotask) + store
// HTTP routes go through the runtime's commands; only src/store knows Redis keys (the client gets its keys passed
// in); the sandbox is started only by the CLI, the app and the demo; rules stay pure; only config/ reads the
// environment. test/unit/lint/layers.test.ts proves a violation fails.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = ['axios', 'ioredis', 'bullmq', 'pino', 'fastify', 'node:fs', 'node:fs/promises', 'node:http',
  'node:https', 'node:net', 'node:timers/promises', 'node:child_process', 'fs', 'http', 'https', 'net', 'prom-client'];

const forbid = (dirs, message) => ({ group: dirs.map((dir) => `**/${dir}/**`), message });
const noSandbox = forbid(['sandbox'], 'The sandbox is a test double of Autotask: only the CLI, the app and the demo start it.');

/** One no-restricted-imports block per layer (a later block replaces an earlier one's rule, so each repeats noSandbox). */
const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns: [...patterns, noSandbox] }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly',
      clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly',
      AbortController: 'readonly', AbortSignal: 'readonly', structuredClone: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env',
        message: 'Only config/ reads process.env; take the typed config instead.' }],
    },
  },
  layer(['src/**/*.ts', 'jobs/**/*.ts'], []),
  layer(['src/http/**/*.ts'], [forbid(['store', 'autotask', 'rules', 'scope', 'pull', 'push', 'sinks', 'app', 'cli'],
    'HTTP routes parse, call a runtime command (src/runtime/commands) and answer; they reach nothing below it.')]),
  layer(['src/runtime/**/*.ts'], [forbid(['http', 'app', 'cli', 'demo'],
    'The runtime knows nothing of HTTP or the composition root (src/app wires them together).')]),
  layer(['jobs/**/*.ts', 'src/pull/**/*.ts', 'src/push/**/*.ts', 'src/scope/**/*.ts'], [forbid(['runtime', 'http', 'app', 'cli', 'demo'],
    'Jobs, pulls and pushes are run by the runtime and never reach back into it.')]),
  layer(['src/store/**/*.ts'], [forbid(['autotask', 'runtime', 'http', 'app', 'cli', 'pull', 'push', 'scope', 'sinks'],
    'The store keeps data in Redis and knows nothing of the client or the layers above it.')]),
  layer(['src/autotask/**/*.ts'], [forbid(['store', 'runtime', 'http', 'app', 'cli', 'pull', 'push', 'scope', 'sinks'],
    'The Autotask client knows no Redis key (its governor gets them passed in) and nothing of the layers above it.')]),
  {
    files: ['src/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules.map((name) => ({ name,
        message: 'Rules are pure: pass plain data in, return plain data.' })),
        patterns: [{ group: ['**/autotask/**', '**/store/**', '**/runtime/**', '**/http/**', '**/sinks/**', '**/config/**',
          '**/scope/**', '**/pull/**', '**/push/**', '**/app/**', '**/cli/**', '**/demo/**', '**/sandbox/**',
          '**/lib/logger*', '**/lib/sleep*', '**/lib/redis-script*', '**/lib/lease-renewal*'],
        message: 'Rules are pure: no I/O, no config, no logger.' }] }],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Rules take `now` as an argument.' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Rules take `now` as an argument.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Rules are deterministic.' }],
    },
  },
  // The CLI, the composition root, the demo and the sandbox itself may start the sandbox.
  { files: ['src/cli/**/*.ts', 'src/app/**/*.ts', 'src/demo/**/*.ts', 'src/sandbox/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['config/**/*.ts', 'test/**/*.ts', 'bin/**', 'eslint.config.js', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
