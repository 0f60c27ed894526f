import { describe, expect, it } from 'vitest';
import { signHookBody, verifyHookSignature } from '../../../src/lib/hook-signature.js';

const SECRET = 'depth-test-secret';

describe('webhook signature check on deeply nested bodies', () => {
  it('refuses a bad signature over a nesting depth bomb instead of overflowing the stack', () => {
    for (const body of [`${'['.repeat(50_000)}${']'.repeat(50_000)}`, `{"Fields":${'{"a":'.repeat(30_000)}1${'}'.repeat(30_000)}}`]) {
      expect(verifyHookSignature(SECRET, Buffer.from(body), signHookBody('other-secret', body))).toEqual({ ok: false, reason: 'X-Hook-Signature does not match the body' });
    }
  });

  it('still accepts a deep body whose raw bytes are signed, and the escaped form of a shallow one', () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    expect(verifyHookSignature(SECRET, Buffer.from(deep), signHookBody(SECRET, deep))).toEqual({ ok: true, form: 'raw' });
    const raw = '{"Fields":{"title":"Disk < 10% on SRV-01 & SRV-02"}}';
    const escaped = '{"Fields":{"title":"Disk \\u003C 10% on SRV-01 \\u0026 SRV-02"}}';
    expect(verifyHookSignature(SECRET, Buffer.from(raw), signHookBody(SECRET, escaped))).toEqual({ ok: true, form: 'escaped' });
  });
});
