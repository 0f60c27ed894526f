/**
 * Graceful shutdown: on SIGTERM/SIGINT the worker stops taking jobs, running jobs get
 * config.queue.shutdownGraceMs to finish (then they are aborted and go back to the queue); then the HTTP server,
 * the queues, the tenants' governors and the Redis connection close, in that order (src/app/process.ts). A
 * second signal while draining means the operator wants out now; the caller exits at once.
 */
import type { Logger } from '../lib/logger.js';

export interface ShutdownStep {
  name: string;
  run(): Promise<unknown>;
}

/** Runs every step in order; a failing step is logged and does not keep the others from running. */
export async function runShutdown(steps: ShutdownStep[], logger: Logger): Promise<boolean> {
  let clean = true;
  for (const step of steps) {
    try {
      await step.run();
      logger.debug({ step: step.name }, 'shutdown step done');
    } catch (error) {
      clean = false;
      logger.error({ err: error, step: step.name }, 'shutdown step failed');
    }
  }
  return clean;
}

export const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Resolves on the first SIGTERM/SIGINT. `onRepeat` is called for any later one (while the drain runs).
 * The returned `dispose` removes the listeners.
 */
export function waitForShutdownSignal(onRepeat: (signal: NodeJS.Signals) => void): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let first = true;
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  const signal = new Promise<NodeJS.Signals>((r) => { resolve = r; });
  const handler = (received: NodeJS.Signals): void => {
    if (first) { first = false; resolve(received); } else onRepeat(received);
  };
  for (const name of SHUTDOWN_SIGNALS) process.on(name, handler);
  return { signal, dispose: () => { for (const name of SHUTDOWN_SIGNALS) process.off(name, handler); } };
}
