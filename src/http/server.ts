/**
 * The HTTP server of `worker` (and `demo`): health, readiness, metrics, the bull-board dashboard, the admin API,
 * and a seam for the routes later issues add (invoices, stopwatches, webhooks): `extraRoutes`.
 *
 * Every route registered in the API scope (ours and extraRoutes) that takes a body must declare `schema.body`,
 * or declare `config.rawBody` (the body arrives as a Buffer, unparsed — a webhook checks its signature over the
 * exact bytes first) or `config.bodyless` (a body sent anyway is refused). Registration fails otherwise, so
 * no body goes unvalidated by oversight. Bodies are limited to `bodyLimit` (1 MiB).
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify';
import { createAdminGuard } from './auth.js';
import { registerConsole } from './console/index.js';
import { registerDashboard } from './dashboard.js';
import { installErrorHandler } from './errors.js';
import { registerDeadLetterRoutes } from './routes/dead-letters.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerJobRoutes } from './routes/jobs.js';
import type { ExtraRoute, ServerServices } from './types.js';

export type { ExtraRoute, ServerServices };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler gets the body as a Buffer, unparsed (signature checks). */
    rawBody?: boolean;
    /** The route takes no body; one sent anyway is a 400. */
    bodyless?: boolean;
  }
  interface FastifyRequest {
    /** The exact bytes of a JSON body, for every route. */
    rawBody?: Buffer;
  }
}

export const DEFAULT_BODY_LIMIT = 1_048_576;
/** How often Node sweeps connections for the header and request deadlines (at most). */
const CHECK_INTERVAL_MS = 1_000;

export interface BuildServerOptions extends ServerServices {
  extraRoutes?: ExtraRoute[];
  bodyLimit?: number;
}

function badRequest(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400, code: 'INPUT_INVALID' });
}

function parseJson(request: FastifyRequest, body: Buffer): unknown {
  request.rawBody = body;
  if (request.routeOptions.config.rawBody) return body;
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'), (key, value: unknown) => {
      if (key === '__proto__') throw new Error('"__proto__" is not allowed');
      return value;
    });
  } catch (error) {
    throw badRequest(`body: not valid JSON (${(error as Error).message})`);
  }
}

function requireBodyRule(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const takesBody = methods.some((m) => ['POST', 'PUT', 'PATCH'].includes(String(m).toUpperCase()));
  const config = (route.config ?? {}) as { rawBody?: boolean; bodyless?: boolean };
  const schema = route.schema as { body?: unknown } | undefined;
  if (takesBody && !schema?.body && !config.rawBody && !config.bodyless) {
    throw new Error(`route ${methods.join(',')} ${route.url} takes a body but declares no schema.body (or config.rawBody / config.bodyless)`);
  }
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { config, logger } = options;
  const { http } = config;
  const app = Fastify({
    // pino 10's Logger is structurally a FastifyBaseLogger; the cast keeps FastifyInstance at its default generics.
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    // One debug line per request (onResponse below) instead of fastify's two info lines: scrapes of /metrics
    // and /readyz would otherwise fill the log.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Slow or silent clients are cut off (config/sections/http.ts): headers and the whole request have deadlines,
    // an idle socket and an idle keep-alive connection are closed.
    requestTimeout: http.requestTimeoutMs,
    connectionTimeout: http.idleTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: {
      headersTimeout: http.headersTimeoutMs,
      maxHeaderSize: http.maxHeaderBytes,
      // Node enforces the two deadlines above on a sweep every connectionsCheckingInterval (30 s by default),
      // which would let a slow client outlive a short deadline by that much.
      connectionsCheckingInterval: Math.min(CHECK_INTERVAL_MS, http.headersTimeoutMs),
    },
    // Strict bodies: an unknown property is an error that names it (fastify's default silently drops it),
    // and a string is never quietly turned into a number.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    // Router-level refusals (a path parameter over 100 characters, a malformed URL) in the project's error shape,
    // naming the parameter and never echoing the path back.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const answer = reply as unknown as { code(status: number): { send(body: unknown): void } };
      answer.code(tooLong ? 414 : 400).send({ error: 'INPUT_INVALID',
        message: tooLong ? 'params: a path parameter is longer than 100 characters' : 'url: malformed' });
    },
  });
  const services: ServerServices = { commands: options.commands, config, logger, queues: options.queues, metrics: options.metrics };

  app.addHook('onRequest', createAdminGuard(config.adminToken));
  app.addHook('onResponse', async (request, reply) => {
    logger.debug({ method: request.method, url: request.url.split('?')[0], status: reply.statusCode }, 'http request');
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, parseJson(request, body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  installErrorHandler(app, logger);

  registerHealthRoutes(app, options.commands);
  app.get('/metrics', async (_request, reply) => {
    const text = await options.metrics.registry.metrics();
    return reply.header('content-type', options.metrics.registry.contentType).send(text);
  });
  await registerDashboard(app, options.queues);
  await registerConsole(app, services);

  await app.register(async (api) => {
    api.addHook('onRoute', requireBodyRule);
    api.addHook('preValidation', async (request) => {
      if (request.routeOptions.config.bodyless && request.body !== undefined && request.body !== null
        && !(typeof request.body === 'object' && Object.keys(request.body).length === 0)) {
        throw badRequest('body: this route takes no body');
      }
    });
    registerJobRoutes(api, services);
    registerDeadLetterRoutes(api, services);
    for (const register of options.extraRoutes ?? []) await register(api, services);
  });
  return app;
}
