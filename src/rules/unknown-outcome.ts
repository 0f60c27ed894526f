/**
 * After a create whose answer was lost (docs/unknown-outcomes.md): Autotask may still be running the request and
 * apply it minutes later, and it has no idempotency key. So until a window covering its own request lifetime has
 * passed since the create was sent, the only safe move is to look for the record again, never to create again.
 */
export type CreateDecision =
  | { action: 'create' }
  | { action: 'wait'; lookAgainAt: Date; windowEndsAt: Date; reason: string };

export function decideCreate(input: { createSentAt: string | null | undefined; now: Date; windowMs: number; lookEveryMs: number }): CreateDecision {
  if (!input.createSentAt) return { action: 'create' };
  const sent = Date.parse(input.createSentAt);
  if (Number.isNaN(sent)) return { action: 'create' };
  const windowEndsAt = new Date(sent + input.windowMs);
  if (input.now.getTime() >= windowEndsAt.getTime()) return { action: 'create' };
  const lookAgainAt = new Date(Math.min(windowEndsAt.getTime(), input.now.getTime() + input.lookEveryMs));
  return { action: 'wait', lookAgainAt, windowEndsAt,
    reason: `a create sent at ${input.createSentAt} got no answer and may still land; looking again until ${windowEndsAt.toISOString()} before creating` };
}
