/**
 * When a create without a ledger of its own (a Problem ticket) was last sent, until its outcome is known
 * (docs/unknown-outcomes.md): written before the request leaves, cleared once the record is found or made.
 */
import type { EntityStore } from './entity-store.js';

const cursorOf = (kind: string, key: string): string => `createSent.${kind}.${key}`;

export async function recordCreateSent(store: EntityStore, kind: string, key: string, at: Date): Promise<void> {
  await store.setCursor(cursorOf(kind, key), at.toISOString());
}

export async function createSentAt(store: EntityStore, kind: string, key: string): Promise<string | null> {
  return store.getCursor(cursorOf(kind, key));
}

export async function clearCreateSent(store: EntityStore, kind: string, key: string): Promise<void> {
  await store.deleteCursor(cursorOf(kind, key));
}
