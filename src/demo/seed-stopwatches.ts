/**
 * The demo's technicians at work: a few stopwatches on their assigned tickets, stopped a moment ago, as the
 * stopwatch API would have left them (started, paused for a break, resumed, stopped). They are written through
 * the real stopwatch store, so sync-all's push-time-entries sweep turns each into exactly one time entry.
 */
import type { StopwatchStore } from '../store/stopwatch-store.js';

export interface DemoWork {
  ticketId: number;
  resourceId: number;
  /** Minutes before `now`: start, pause, resume. The stop is `now`. */
  startedMinutesAgo: number;
  pausedMinutesAgo?: number;
  resumedMinutesAgo?: number;
  summaryNotes: string;
}

export async function seedStopwatches(store: StopwatchStore, work: readonly DemoWork[], now: Date): Promise<string[]> {
  const at = (minutesAgo: number): Date => new Date(now.getTime() - minutesAgo * 60_000);
  const ids: string[] = [];
  for (const w of work) {
    const started = await store.start({ ticketId: w.ticketId, resourceId: w.resourceId, roleId: null, summaryNotes: w.summaryNotes,
      internalNotes: null }, at(w.startedMinutesAgo));
    if (!started.ok) throw new Error(`demo stopwatch on ticket ${w.ticketId}: ${started.reason}`);
    const id = started.stopwatch.id;
    if (w.pausedMinutesAgo !== undefined) await store.pause(id, at(w.pausedMinutesAgo));
    if (w.resumedMinutesAgo !== undefined) await store.resume(id, at(w.resumedMinutesAgo));
    const stopped = await store.stop(id, {}, now);
    if (!stopped.ok) throw new Error(`demo stopwatch ${id}: ${stopped.reason}`);
    ids.push(id);
  }
  return ids;
}
