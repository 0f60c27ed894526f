import { describe, expect, it } from 'vitest';
import { escapedForms, signHookBody, verifyHookSignature } from '../../../src/lib/hook-signature.js';

const secret = 'hook-secret-123';

describe('verifyHookSignature', () => {
  it('accepts the HMAC-SHA1 of the raw body', () => {
    const body = Buffer.from('{"Action":"Create","EntityType":"Ticket","Id":42,"Fields":{"title":"Disk <C:> & more"}}');
    expect(verifyHookSignature(secret, body, signHookBody(secret, body))).toEqual({ ok: true, form: 'raw' });
  });

  it("accepts a signature over Autotask's \\u-escaped form of the JSON", () => {
    const body = Buffer.from('{"Action":"Update","Id":7,"Fields":{"title":"Café <down> & \'x\' \\"q\\" `b` a+b"}}');
    const escaped = '{"Action":"Update","Id":7,"Fields":{"title":"Caf\\u00E9 \\u003Cdown\\u003E \\u0026 \\u0027x\\u0027 \\u0022q\\u0022 \\u0060b\\u0060 a\\u002Bb"}}';
    expect(escapedForms(body)).toContain(escaped);
    expect(verifyHookSignature(secret, body, signHookBody(secret, escaped))).toEqual({ ok: true, form: 'escaped' });
  });

  it('refuses a missing, malformed, wrong-secret or tampered signature', () => {
    const body = Buffer.from('{"Id":1}');
    expect(verifyHookSignature(secret, body, undefined)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(verifyHookSignature(secret, body, 'md5=abc')).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed/) });
    expect(verifyHookSignature(secret, body, signHookBody('other-secret', body)).ok).toBe(false);
    expect(verifyHookSignature(secret, Buffer.from('{"Id":2}'), signHookBody(secret, body)).ok).toBe(false);
  });

  it('does not throw on a body that is not JSON', () => {
    const body = Buffer.from('not json');
    expect(verifyHookSignature(secret, body, signHookBody(secret, 'x')).ok).toBe(false);
    expect(verifyHookSignature(secret, body, signHookBody(secret, body)).ok).toBe(true);
  });
});
