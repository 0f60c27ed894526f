import { describe, expect, it } from 'vitest';
import { escapeAutotaskJson, signHookBody, verifyHookSignature } from '../../../src/lib/hook-signature.js';
import { escapedJson } from '../../../src/sandbox/webhooks.js';

const secret = 'hook-secret-raw-escape';

/**
 * Issue 16 item 2: the escaped form is computed on the RAW text (docs/autotask-samples.md, "Webhook signatures"),
 * so what JSON.parse + re-serialise would lose — decimal scale, key order, spacing — survives.
 */
describe('escaped-signature fallback on the raw text', () => {
  const bodies = [
    '{"Action":"Update","Id":7,"Fields":{"description":"Coaching & setup","extendedPrice":386.6450,"rate":2.50,"quantity":3.5000}}',
    '{ "Id" : 8, "Fields" : { "title" : "Disk < 10% & rising" } }',
    '{"Fields":{"path":"C:\\\\temp\\\\new","note":"a `tick` and \\"quote\\""},"Id":9,"Action":"Create"}',
    '{"Fields":{"title":"Caf\u00e9 \u2013 ok + more","n":1.0}}',
  ];

  it.each(bodies)('accepts a signature over the escaped raw text of %s', (raw) => {
    const escaped = escapeAutotaskJson(raw);
    expect(verifyHookSignature(secret, Buffer.from(raw), signHookBody(secret, escaped))).toEqual({ ok: true, form: 'escaped' });
  });

  it('keeps decimal scale, spacing and key order; escapes only inside string literals, upper-case hex', () => {
    expect(escapeAutotaskJson('{"a":2.50, "b":"x&y", "c+":3.5000}')).toBe('{"a":2.50, "b":"x\\u0026y", "c\\u002B":3.5000}');
    expect(escapeAutotaskJson('{"p":"C:\\\\temp","q":"`<>\'"}')).toBe('{"p":"C:\\\\temp","q":"\\u0060\\u003C\\u003E\\u0027"}');
    expect(escapeAutotaskJson('{"q":"say \\"hi\\""}')).toBe('{"q":"say \\u0022hi\\u0022"}');
    expect(escapeAutotaskJson('{"e":"\u00fc"}')).toBe('{"e":"\\u00FC"}');
    // An escape already in the raw text is kept as it is (its letters are not escaped again).
    expect(escapeAutotaskJson('{"e":"\\u00fc\\n"}')).toBe('{"e":"\\u00fc\\n"}');
  });

  it('the sandbox signs with the same escaping, so its bodies with C:\\temp or a backtick verify', () => {
    const raw = JSON.stringify({ Fields: { path: 'C:\\temp', note: 'a `b` & c', amount: 'ü' } });
    expect(escapedJson(raw)).toBe(escapeAutotaskJson(raw));
    expect(verifyHookSignature(secret, Buffer.from(raw), signHookBody(secret, escapedJson(raw)))).toEqual({ ok: true, form: 'escaped' });
  });

  it('refuses a signature over a re-serialised body whose decimals lost their scale', () => {
    const raw = '{"Fields":{"rate":2.50}}';
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(verifyHookSignature(secret, Buffer.from(raw), signHookBody(secret, reserialised)).ok).toBe(false);
  });
});
