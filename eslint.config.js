// Flat config. Besides the usual checks it enforces the architecture of LAYOUT.md:
// rules stay pure, only config/ reads the environment, only src/autotask talks HTTP.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = ['axios', 'ioredis', 'bullmq', 'pino', 'fastify', 'node:fs', 'node:fs/promises', 'node:http',
  'node:https', 'node:net', 'fs', 'http', 'https', 'net', 'prom-client'];

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
  {
    files: ['src/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules.map((name) => ({ name,
        message: 'Rules are pure: pass plain data in, return plain data.' })),
        patterns: [{ group: ['**/autotask/**', '**/store/**', '**/runtime/**', '**/http/**', '**/sinks/**', '**/config/**',
          '**/lib/logger*'], message: 'Rules are pure: no I/O, no config, no logger.' }] }],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Rules take `now` as an argument.' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Rules take `now` as an argument.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Rules are deterministic.' }],
    },
  },
  {
    files: ['config/**/*.ts', 'test/**/*.ts', 'bin/**', 'eslint.config.js', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
