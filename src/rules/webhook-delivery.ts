/**
 * What identifies one Autotask webhook delivery, and which deliveries are too old or too new to accept
 * (docs/autotask-samples.md, "Webhooks"). Pure: the event and `now` in, a verdict with its reason out.
 *
 * `Guid` names the WEBHOOK, not the event: it stays the same across every callout of one webhook (a sample
 * shows the same Guid on a Create with SequenceNumber 1 and a Delete with SequenceNumber 3). So one delivery is
 * Guid + entity + Id + SequenceNumber (EventTime when the sequence is absent). Autotask's retries of a failed
 * callout repeat that identity, so they are recognised; the next event of the same webhook is not.
 *
 * Replays are bounded by the event time: a signed body is valid forever, so one captured and sent again after its
 * de-duplication mark expired would be processed again. An event older than `maxAgeMs` (or further in the future
 * than `maxSkewMs`) is refused; the mark is kept longer than `maxAgeMs`, so inside the window the mark refuses it.
 */
import { parseUtc } from '../lib/time.js';

export interface WebhookEventIdentity {
  Guid?: string | undefined;
  EntityType: string;
  Id: number;
  SequenceNumber?: number | undefined;
  EventTime?: string | undefined;
}

export const WEBHOOK_REPLAY_WINDOW = {
  /** Autotask retries a callout for about 2 minutes; an hour leaves room for a slow queue and clock skew. */
  maxAgeMs: 3_600_000,
  /** A sender's clock ahead of ours by more than this is not Autotask's. */
  maxSkewMs: 300_000,
} as const;

/** How long a delivery's mark must live: longer than the window, so no replay slips between the two. */
export const WEBHOOK_SEEN_TTL_SECONDS = Math.ceil((WEBHOOK_REPLAY_WINDOW.maxAgeMs + WEBHOOK_REPLAY_WINDOW.maxSkewMs) / 1000) + 60;

/** The identity of one delivery, as text (the store hashes it into a key). */
export function deliveryIdentity(event: WebhookEventIdentity): string {
  const order = event.SequenceNumber !== undefined ? `seq:${event.SequenceNumber}` : `time:${event.EventTime ?? ''}`;
  return [event.Guid ?? 'no-guid', event.EntityType.toLowerCase(), String(event.Id), order].join('|');
}

export type EventTimeVerdict = { ok: true } | { ok: false; reason: string };

export function judgeEventTime(eventTime: string | undefined, now: Date,
  window: { maxAgeMs: number; maxSkewMs: number } = WEBHOOK_REPLAY_WINDOW): EventTimeVerdict {
  if (eventTime === undefined) return { ok: false, reason: 'EventTime: required (replays are bounded by the event time)' };
  let at: Date;
  try { at = parseUtc(eventTime); } catch { return { ok: false, reason: `EventTime: not a date-time (${JSON.stringify(eventTime.slice(0, 40))})` }; }
  const age = now.getTime() - at.getTime();
  if (age > window.maxAgeMs) {
    return { ok: false, reason: `EventTime: ${eventTime} is older than ${Math.round(window.maxAgeMs / 60_000)} min; a replayed delivery is refused` };
  }
  if (-age > window.maxSkewMs) {
    return { ok: false, reason: `EventTime: ${eventTime} is more than ${Math.round(window.maxSkewMs / 60_000)} min in the future` };
  }
  return { ok: true };
}
