/**
 * The "late create" fault (issue 14 item 7): Autotask can keep running a request for minutes after the caller
 * gave up (server-side execution stops only after about 5 minutes — docs/unknown-outcomes.md). A held create
 * gets no answer (its connection is dropped, as a client timeout would see it) and is applied only when the test
 * says so, after the caller has looked for it and found nothing. Driven by calls, never by a timer.
 */
export interface HeldWrite {
  entity: string;
  apply: () => number | null;
}

export class LateWrites {
  private readonly toHold = new Map<string, number>();
  private readonly held: HeldWrite[] = [];

  /** The next `count` creates of `entity` are held. */
  hold(entity: string, count: number): void {
    this.toHold.set(entity, (this.toHold.get(entity) ?? 0) + count);
  }

  /** Takes one hold for `entity` if any is armed. */
  take(entity: string): boolean {
    const left = this.toHold.get(entity) ?? 0;
    if (left <= 0) return false;
    this.toHold.set(entity, left - 1);
    return true;
  }

  add(write: HeldWrite): void {
    this.held.push(write);
  }

  pending(): number {
    return this.held.length;
  }

  /** Applies every held create now; returns the ids they made (null for one the tenant refused). */
  applyAll(): Array<number | null> {
    return this.held.splice(0).map((w) => w.apply());
  }
}
