/**
 * Condition waits for the fault tests AND the benchmarks that reuse their support modules (test/bench/ runs under
 * plain `tsx`, where importing vitest throws "Vitest failed to access its internal state"), so this file imports
 * nothing of vitest. It behaves as the `vi.waitFor` it replaces: a probe that throws is tried again, and the
 * timeout reports the probe's last error.
 */

/**
 * Polls `probe` every `intervalMs` until it returns a value; fails naming `what` after `timeoutMs`. The timeout
 * only bounds a hung run: every wait in the fault tests is for a condition, never for a fixed time.
 */
export async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string, intervalMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= until) {
      if (lastError instanceof Error) throw lastError;
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
