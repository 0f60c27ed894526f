/**
 * What the sandbox tells a watcher as it happens, so a test can act at a moment instead of after a guessed
 * delay: a write applied to the tenant (before its answer is sent — the moment a crash hurts most) and a
 * request finished (its log entry written). Listeners run synchronously; one that throws is not the
 * request's concern, so its error is reported on the next tick instead of failing the request.
 */
import type { RequestLogEntry } from './stats.js';
import type { SandboxEntity, SandboxRecord } from './types.js';

export interface SandboxWriteEvent {
  entity: SandboxEntity;
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  action: 'Create' | 'Update' | 'Delete';
  /** The record as stored after the write (for Delete: as it was). */
  record: SandboxRecord;
  /** Fields whose value changed (every set field on Create). */
  changed: readonly string[];
}

type Listener<T> = (event: T) => void;

export class SandboxEvents {
  private readonly writes = new Set<Listener<SandboxWriteEvent>>();
  private readonly requests = new Set<Listener<RequestLogEntry>>();

  onWrite(listener: Listener<SandboxWriteEvent>): () => void {
    this.writes.add(listener);
    return () => { this.writes.delete(listener); };
  }

  onRequest(listener: Listener<RequestLogEntry>): () => void {
    this.requests.add(listener);
    return () => { this.requests.delete(listener); };
  }

  write(event: SandboxWriteEvent): void {
    notify(this.writes, event);
  }

  request(entry: RequestLogEntry): void {
    notify(this.requests, entry);
  }
}

function notify<T>(listeners: ReadonlySet<Listener<T>>, event: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch (error) {
      queueMicrotask(() => { throw error; });
    }
  }
}
