#!/usr/bin/env node
// Entry point of the `autotask-sync` executable. In a checkout (src/ present) it runs the TypeScript sources
// through tsx, so `npm ci && npx autotask-sync …` works without a build step; the Docker image ships only the
// compiled dist/ and runs that.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const source = new URL('src/cli/main.ts', root);
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('dist/src/cli/main.js', root).href);
}
