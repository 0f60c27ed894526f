/**
 * Whether the last pull of an entity ran to its end (issue 14 item 3). A pull that fails after some id ranges
 * were stored leaves the store holding part of the open set; building invoices from it delivers invoices short
 * of items. The pull records `running` before its first page and `complete` after its last; the invoice run
 * refuses anything but `complete`.
 */
import type { EntityStore } from './entity-store.js';

export interface PullStatus {
  state: 'running' | 'complete';
  /** When the pull (or the attempt that resumed it) started, ISO. */
  startedAt: string;
}

const cursorOf = (entity: string): string => `${entity}.lastPull`;

export async function recordPullStatus(store: EntityStore, entity: string, status: PullStatus): Promise<void> {
  await store.setCursor(cursorOf(entity), JSON.stringify(status));
}

export async function readPullStatus(store: EntityStore, entity: string): Promise<PullStatus | null> {
  const raw = await store.getCursor(cursorOf(entity));
  if (raw === null) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<PullStatus>;
    if ((parsed.state === 'running' || parsed.state === 'complete') && typeof parsed.startedAt === 'string') {
      return { state: parsed.state, startedAt: parsed.startedAt };
    }
  } catch { /* unreadable: treated as never completed */ }
  return null;
}
