/**
 * File sink: one JSON document per invoice, `<dir>/<tenant>/<invoiceKey>.json`, the tenant id also the document's
 * first field. Several tenants share INVOICE_OUTPUT_DIR, and an invoiceKey is only unique within a tenant (two
 * Autotask instances can hold the same company, PO and item ids): without the tenant in the path the second tenant's
 * invoice would meet the first one's file — refused as a conflict, or taken as already delivered. Written atomically — a temporary file in
 * the same directory, fsync, rename over the target, fsync of the directory — so a reader (an accounting import
 * watching the folder) sees either no file or the whole document, even across a crash or power loss.
 * Idempotent: delivering the same document again finds the identical file and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { InvoiceDocument } from '../rules/invoice-types.js';
import { assertSafeInvoiceKey, SinkConflictError, SinkDeliveryError, type InvoiceSink, type SinkDelivery } from './invoice-sink.js';

export interface FileSinkOptions {
  /** INVOICE_OUTPUT_DIR; created when missing. */
  directory: string;
  /** The tenant whose invoices this sink writes: its folder under `directory`, and the document's `tenant`. */
  tenant: string;
  /**
   * A different document under an already delivered invoiceKey: `error` (default) refuses, since the file may have
   * been imported already; `overwrite` replaces it atomically.
   */
  onConflict?: 'error' | 'overwrite';
}

/** The file's exact bytes: the tenant, then the document's keys in its order, 2-space indent, trailing newline. */
export function serializeInvoiceFile(doc: InvoiceDocument, tenant: string): string {
  return `${JSON.stringify({ tenant, ...doc }, null, 2)}\n`;
}

/** Tenant ids are config-validated (lower-case letters, digits, -); checked again since this one names a folder. */
const SAFE_TENANT = /^[a-z0-9][a-z0-9-]{0,31}$/;

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

async function syncDirectory(directory: string): Promise<void> {
  // Makes the rename durable. Some platforms/filesystems refuse fsync on a directory; the rename is still atomic.
  const handle = await open(directory, 'r').catch(() => null);
  if (handle === null) return;
  try {
    await handle.sync();
  } catch {
    // EINVAL/EPERM/EISDIR on filesystems without directory fsync: nothing more can be done.
  } finally {
    await handle.close();
  }
}

export function createFileSink(options: FileSinkOptions): InvoiceSink {
  if (!SAFE_TENANT.test(options.tenant)) throw new SinkDeliveryError('file', `tenant id ${JSON.stringify(options.tenant.slice(0, 40))} cannot name a folder`, { retryable: false });
  const directory = join(resolve(options.directory), options.tenant);
  const onConflict = options.onConflict ?? 'error';
  return {
    name: 'file',
    async deliver(doc: InvoiceDocument, signal?: AbortSignal): Promise<SinkDelivery> {
      assertSafeInvoiceKey('file', doc.invoiceKey);
      signal?.throwIfAborted();
      const target = join(directory, `${doc.invoiceKey}.json`);
      const content = serializeInvoiceFile(doc, options.tenant);
      try {
        await mkdir(directory, { recursive: true });
        const existing = await readFile(target, 'utf8').catch((error: unknown) => {
          if (isMissing(error)) return null;
          throw error;
        });
        if (existing === content) return { confirmed: true, reference: target };
        if (existing !== null && onConflict === 'error') throw new SinkConflictError('file', doc.invoiceKey, target);
        signal?.throwIfAborted();
        const temporary = join(directory, `.${doc.invoiceKey}.${process.pid}.${randomUUID()}.tmp`);
        try {
          const handle = await open(temporary, 'wx', 0o644);
          try {
            await handle.writeFile(content, 'utf8');
            await handle.sync();
          } finally {
            await handle.close();
          }
          await rename(temporary, target);
        } catch (error) {
          await unlink(temporary).catch(() => undefined);
          throw error;
        }
        await syncDirectory(directory);
        return { confirmed: true, reference: target };
      } catch (error) {
        if (error instanceof SinkConflictError || signal?.aborted) throw error;
        const code = (error as NodeJS.ErrnoException | null)?.code ?? 'unknown';
        // A full disk or a busy file may clear; a permission or path problem will not.
        const retryable = ['ENOSPC', 'EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'EIO'].includes(code);
        throw new SinkDeliveryError('file', `cannot write ${target} (${code})`, { retryable, cause: error });
      }
    },
  };
}
