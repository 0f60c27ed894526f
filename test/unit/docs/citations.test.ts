/**
 * Code and README cite documents of this repository only (docs/), never documents outside it that a clone does
 * not have (API-NOTES, INTERFACE.md, LAYOUT.md, ../shared/spec); and every `docs/<file>.md#<section>` they cite
 * names a heading that exists, so the docs' section names stay stable.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Documents outside the repo. (Data read from ../shared/data by benches that skip without it is not a citation.)
const OUTSIDE = /API-NOTES|INTERFACE\.md|LAYOUT\.md|shared\/spec\//;
const TEXT = /\.(?:ts|js|mjs|cjs|json|md)$/;

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full, { throwIfNoEntry: false })) return [];
  if (statSync(full).isFile()) return [path];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const child = join(path, entry.name);
    return entry.isDirectory() ? files(child) : TEXT.test(entry.name) ? [child] : [];
  });
}

function linesMatching(paths: string[], pattern: RegExp): string[] {
  return paths.flatMap((path) => readFileSync(join(ROOT, path), 'utf8').split('\n')
    .flatMap((line, index) => (pattern.test(line) ? [`${relative(ROOT, join(ROOT, path))}:${index + 1}: ${line.trim()}`] : [])));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  return new Set(markdown.split('\n').filter((line) => /^#{1,6} /.test(line))
    .map((line) => line.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')));
}

describe('documentation citations', () => {
  it('src/, jobs/, config/, docs/ and the README cite nothing outside the repository', () => {
    const paths = ['src', 'jobs', 'config', 'docs', 'README.md'].flatMap(files);
    expect(paths.length).toBeGreaterThan(100);
    expect(linesMatching(paths, OUTSIDE)).toEqual([]);
  });

  it('every docs/<file>.md#<section> cited in code, tests and docs names an existing heading', () => {
    const docs = new Map(files('docs').filter((p) => p.endsWith('.md'))
      .map((p) => [relative(join(ROOT, 'docs'), join(ROOT, p)), anchors(readFileSync(join(ROOT, p), 'utf8'))]));
    expect(docs.has('autotask-api.md') && docs.has('contract.md') && docs.has('glossary.md')).toBe(true);
    const broken: string[] = [];
    // A citation, and the further sections of one that goes on with ", #b", " and #b" or " to #b".
    const citation = /docs\/([\w-]+\.md)((?:#[\w-]+)?(?:(?:, | and | to )#[\w-]+)*)/g;
    for (const path of ['src', 'jobs', 'config', 'docs', 'test', 'README.md'].flatMap(files)) {
      const text = readFileSync(join(ROOT, path), 'utf8');
      for (const match of text.matchAll(citation)) {
        const [whole, file, tail] = match as unknown as [string, string, string];
        const known = docs.get(file);
        if (!known) { broken.push(`${path}: ${whole} (no such file)`); continue; }
        for (const [, anchor] of tail.matchAll(/#([\w-]+)/g)) if (!known.has(anchor!)) broken.push(`${path}: ${whole} (#${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
