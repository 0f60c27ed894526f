/**
 * zod failures as the one-line messages every edge shows (config, job data, webhook payloads, detect input):
 * `<root>.<path>: <message>`, issues joined by "; ". The field comes first so the reader knows what to fix.
 */
import type { z } from 'zod';

type Issue = z.ZodError['issues'][number];

/** `root.a.b` for an issue at path [a, b]; `empty` when both are empty. */
export function issuePath(issue: Pick<Issue, 'path'>, root = '', empty = ''): string {
  return [root, ...issue.path.map(String)].filter(Boolean).join('.') || empty;
}

export function formatZodIssueList(error: z.ZodError, root = '', empty = ''): string[] {
  return error.issues.map((issue) => `${issuePath(issue, root, empty)}: ${issue.message}`);
}

export function formatZodIssues(error: z.ZodError, root = '', empty = ''): string {
  return formatZodIssueList(error, root, empty).join('; ');
}
