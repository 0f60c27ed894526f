/**
 * One error shape for every route: `{"error": <stable code>, "message": <what and which field>}`.
 * Schema failures name the field (`body.data: must be object`), AppErrors keep their code, anything unexpected
 * is a 500 whose details stay in the log.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, InputError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

const NOT_FOUND_CODES = new Set(['JOB_UNKNOWN', 'JOB_NOT_FOUND', 'DEAD_LETTER_NOT_FOUND']);

interface ValidationItem {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

export function describeValidation(context: string | undefined, items: ValidationItem[]): string {
  return items.map((item) => {
    const path = (item.instancePath ?? '').split('/').filter(Boolean);
    const params = item.params ?? {};
    if (typeof params.missingProperty === 'string') return `${[context, ...path, params.missingProperty].filter(Boolean).join('.')}: required`;
    if (typeof params.additionalProperty === 'string') {
      return `${[context, ...path, params.additionalProperty].filter(Boolean).join('.')}: not allowed`;
    }
    return `${[context, ...path].filter(Boolean).join('.')}: ${item.message ?? 'invalid'}`;
  }).join('; ');
}

export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    const validation = (error as FastifyError).validation;
    if (validation) {
      const message = describeValidation((error as FastifyError).validationContext, validation as ValidationItem[]);
      return reply.code(400).send({ error: 'INPUT_INVALID', message });
    }
    if (error instanceof AppError) {
      const status = error instanceof InputError ? 400 : NOT_FOUND_CODES.has(error.code) ? 404 : error.retryable ? 503 : 500;
      if (status >= 500) logger.error({ err: error, url: request.url }, 'request failed');
      return reply.code(status).send({ error: error.code, message: error.message });
    }
    const statusCode = (error as FastifyError).statusCode;
    if (statusCode && statusCode >= 400 && statusCode < 500) {
      return reply.code(statusCode).send({ error: (error as FastifyError).code ?? 'BAD_REQUEST', message: error.message });
    }
    logger.error({ err: error, url: request.url }, 'request failed');
    return reply.code(500).send({ error: 'INTERNAL', message: 'internal error (see the worker log)' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }));
}
