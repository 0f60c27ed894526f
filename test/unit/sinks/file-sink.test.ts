import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileSink, serializeInvoiceFile } from '../../../src/sinks/file-sink.js';
import { SinkConflictError, SinkDeliveryError } from '../../../src/sinks/invoice-sink.js';
import { invoiceDoc } from './fixtures.js';

const T = 'acme';
let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'file-sink-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('file sink', () => {
  it('writes one JSON document per invoice, named by invoiceKey in the tenant\'s folder, creating the directories', async () => {
    const target = join(dir, 'nested', 'invoices');
    const sink = createFileSink({ tenant: T, directory: target });
    const doc = invoiceDoc();
    const delivery = await sink.deliver(doc);
    expect(delivery).toEqual({ confirmed: true, reference: join(target, T, `${doc.invoiceKey}.json`) });
    expect(JSON.parse(await readFile(delivery.reference, 'utf8'))).toEqual({ tenant: T, ...doc });
    expect(await readdir(join(target, T))).toEqual([`${doc.invoiceKey}.json`]);
  });

  it('keeps two tenants\' invoices with the same invoiceKey apart in one shared directory', async () => {
    // Two Autotask instances can hold the same company, PO and item ids, so the same invoiceKey with other amounts.
    const first = await createFileSink({ tenant: 'acme', directory: dir }).deliver(invoiceDoc());
    const second = await createFileSink({ tenant: 'globex', directory: dir }).deliver(invoiceDoc({ total: 5 }));
    expect(first.reference).not.toBe(second.reference);
    expect(JSON.parse(await readFile(first.reference, 'utf8'))).toMatchObject({ tenant: 'acme', total: invoiceDoc().total });
    expect(JSON.parse(await readFile(second.reference, 'utf8'))).toMatchObject({ tenant: 'globex', total: 5 });
    expect((await readdir(dir)).sort()).toEqual(['acme', 'globex']);
    expect(() => createFileSink({ tenant: '../x', directory: dir })).toThrow(SinkDeliveryError);
  });

  it('is idempotent: the same document twice is the same file with the same content, not rewritten', async () => {
    const sink = createFileSink({ tenant: T, directory: dir });
    const first = await sink.deliver(invoiceDoc());
    const before = await stat(first.reference);
    // Once the clock is past the file's mtime, a rewrite would show as a later mtime.
    await vi.waitFor(() => { expect(Date.now()).toBeGreaterThan(Math.ceil(before.mtimeMs) + 1); }, { interval: 1 });
    const second = await sink.deliver(invoiceDoc());
    expect(second).toEqual(first);
    expect((await stat(second.reference)).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(second.reference, 'utf8')).toBe(serializeInvoiceFile(invoiceDoc(), T));
    expect(await readdir(join(dir, T))).toHaveLength(1);
  });

  it('refuses a different document under a delivered key unless told to overwrite', async () => {
    await createFileSink({ tenant: T, directory: dir }).deliver(invoiceDoc());
    const changed = invoiceDoc({ total: 99 });
    await expect(createFileSink({ tenant: T, directory: dir }).deliver(changed)).rejects.toBeInstanceOf(SinkConflictError);
    const replaced = await createFileSink({ tenant: T, directory: dir, onConflict: 'overwrite' }).deliver(changed);
    expect(JSON.parse(await readFile(replaced.reference, 'utf8'))).toMatchObject({ total: 99 });
    expect(await readdir(join(dir, T))).toHaveLength(1);
  });

  it('never leaves a partial file: concurrent deliveries of one key yield one whole file and no temp files', async () => {
    const sink = createFileSink({ tenant: T, directory: dir, onConflict: 'overwrite' });
    const docs = Array.from({ length: 8 }, (_, i) => invoiceDoc({ total: i }));
    await Promise.all(docs.map((d) => sink.deliver(d)));
    const names = await readdir(join(dir, T));
    expect(names).toEqual([`${docs[0]?.invoiceKey}.json`]);
    const written = JSON.parse(await readFile(join(dir, T, names[0] as string), 'utf8')) as { total: number };
    expect(docs.map((d) => d.total)).toContain(written.total);
  });

  it('rejects keys that could escape the directory, and reports write failures as delivery errors', async () => {
    const sink = createFileSink({ tenant: T, directory: dir });
    await expect(sink.deliver(invoiceDoc({ invoiceKey: '../evil' }))).rejects.toBeInstanceOf(SinkDeliveryError);
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const error = await createFileSink({ tenant: T, directory: blocker }).deliver(invoiceDoc()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkDeliveryError);
    expect((error as SinkDeliveryError).retryable).toBe(false);
  });

  it('does nothing when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(createFileSink({ tenant: T, directory: dir }).deliver(invoiceDoc(), controller.signal)).rejects.toThrow('stop');
    expect(await readdir(dir)).toEqual([]);
  });
});
