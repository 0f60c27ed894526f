import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference, END, START } from '../../../config/reference.js';
import { envSchema } from '../../../config/schema.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README configuration reference', () => {
  it('is exactly what the schema generates (run `npx tsx config/reference.ts --write` after a schema change)', () => {
    const block = readme.slice(readme.indexOf(START), readme.indexOf(END) + END.length);
    expect(block).toBe(configReference());
  });

  it('names every environment variable of the schema', () => {
    for (const name of Object.keys(envSchema.shape)) expect(readme).toContain(`\`${name}\``);
  });
});
