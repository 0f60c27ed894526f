/**
 * Fault injection (issue 3 "Fault injection"): fixed or random latency, a rate of transient failures — a bare
 * 500 "Internal server error", a connection reset, or a timeout (no answer for `timeoutMs`, then the socket is
 * dropped) — and "lost responses": a create or update is applied but its answer never arrives, which is
 * exactly the case docs/autotask-api.md#writing warns about ("a create whose answer is lost may have happened").
 */
import type { Rng } from './random.js';

export type TransientFault = 'error500' | 'reset' | 'timeout';

export interface FaultOptions {
  /** Fixed latency added to every API request, ms. */
  latencyMs?: number;
  /** Uniform random extra latency in [0, latencyJitterMs]. */
  latencyJitterMs?: number;
  /** Fraction (0..1) of API requests that fail transiently. */
  faultRate?: number;
  /** Which transient failures to draw from (default all three). */
  faultKinds?: TransientFault[];
  /** How long a "timeout" fault holds the request before dropping the connection, ms (default 30,000). */
  timeoutMs?: number;
  /** Fraction (0..1) of successful creates/updates whose answer is lost (socket destroyed after the write). */
  lostResponseRate?: number;
}

export type ResolvedFaults = Required<FaultOptions>;

export function resolveFaults(options: FaultOptions, base?: ResolvedFaults): ResolvedFaults {
  const merged = { ...(base ?? { latencyMs: 0, latencyJitterMs: 0, faultRate: 0,
    faultKinds: ['error500', 'reset', 'timeout'] as TransientFault[], timeoutMs: 30_000, lostResponseRate: 0 }) };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  for (const key of ['faultRate', 'lostResponseRate'] as const) {
    if (!(merged[key] >= 0 && merged[key] <= 1)) throw new RangeError(`${key} must be between 0 and 1`);
  }
  for (const key of ['latencyMs', 'latencyJitterMs', 'timeoutMs'] as const) {
    if (!(merged[key] >= 0)) throw new RangeError(`${key} must be ≥ 0`);
  }
  if (merged.faultKinds.length === 0) merged.faultKinds = ['error500', 'reset', 'timeout'];
  return merged;
}

export function drawLatency(faults: ResolvedFaults, rng: Rng): number {
  return faults.latencyMs + (faults.latencyJitterMs > 0 ? rng.next() * faults.latencyJitterMs : 0);
}

export function drawFault(faults: ResolvedFaults, rng: Rng): TransientFault | null {
  if (faults.faultRate <= 0 || !rng.chance(faults.faultRate)) return null;
  return rng.pick(faults.faultKinds);
}

export function drawLostResponse(faults: ResolvedFaults, rng: Rng): boolean {
  return faults.lostResponseRate > 0 && rng.chance(faults.lostResponseRate);
}
