/**
 * The one root logger. Everything else takes a child bound to its job, tenant or entity.
 * pino's own `redact` drops credential-named keys at any depth we know of; the `formatters.log`
 * hook scrubs registered secret values from whatever else is logged (messages, error texts).
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { redactText, redactValue } from './redact.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'autotask-sync' },
      messageKey: 'msg',
      redact: {
        paths: ['*.Secret', '*.secret', '*.ApiIntegrationCode', '*.headers.Secret', '*.headers.ApiIntegrationCode',
          '*.headers.authorization', '*.headers.Authorization', 'headers.Secret', 'headers.ApiIntegrationCode'],
        censor: '[redacted]',
      },
      formatters: {
        log: (object) => redactValue(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (error: unknown) => redactValue(pino.stdSerializers.err(error as Error)),
      },
    },
    options.destination,
  );
}

/** A logger that writes nothing: for tests and pure helpers that must accept one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
