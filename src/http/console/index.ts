/**
 * The web console at /console (issue 18): server-rendered pages for finance, the service desk and ops, behind
 * the same ADMIN_TOKEN as the API. Routes parse a form, call a runtime command, and answer with HTML or a
 * redirect (POST → 303 → GET, so a reload never repeats an action). Sessions and CSRF: ./session.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage } from '../../lib/errors.js';
import type { ServerServices } from '../types.js';
import { invoiceCsv } from './csv.js';
import { html, page, type SafeHtml } from './html.js';
import { invoicesPage } from './invoices-page.js';
import { jobsPage, overviewPage, problemsPage, signInPage, timePage } from './pages.js';
import { readCookie } from '../auth.js';
import { clearSessionCookies, cookieFlags, CONSOLE_COOKIE, createConsoleSessions, newNonce, setSessionCookies, SIGN_IN_COOKIE } from './session.js';

type Form = Record<string, string>;
type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string | undefined>; Body: Form }>;

const FORM_LIMIT = 16_384;

function parseForm(body: string): Form {
  const out: Form = Object.create(null) as Form;
  for (const [k, v] of new URLSearchParams(body)) if (k !== '__proto__') out[k] = v;
  return out;
}

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    // No scripts at all: the console works without them, and this keeps an injected one from running.
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'")
    .header('x-content-type-options', 'nosniff')
    .send(html);
}

function back(reply: FastifyReply, path: string, message: { notice?: string; error?: string }): FastifyReply {
  const q = new URLSearchParams(message as Record<string, string>).toString();
  return reply.redirect(`${path}${q ? `?${q}` : ''}`, 303);
}

export async function registerConsole(app: FastifyInstance, services: ServerServices): Promise<void> {
  const { commands, config } = services;
  const adminToken = config.adminToken;
  const sessions = adminToken ? createConsoleSessions(adminToken) : undefined;
  const now = () => new Date();
  const decimals = config.invoices.currencyDecimals;

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_request, body, done) => { done(null, parseForm(body as string)); });

    const showSignIn = (request: FastifyRequest, reply: FastifyReply, status: number, error?: string) => {
      const nonce = newNonce();
      reply.header('set-cookie', `${SIGN_IN_COOKIE}=${nonce}; Path=/console; Max-Age=600; ${cookieFlags(request, config.trustProxy)}`);
      return sendPage(reply, status, page({ title: 'Sign in', error }, signInPage(nonce)));
    };

    // Every console request except the sign-in form needs a live session; every POST also its CSRF token.
    scope.addHook('preHandler', async (request, reply) => {
      const path = request.routeOptions.url ?? '';
      if (path === '/console/sign-in') return;
      if (!sessions) {
        return sendPage(reply, 403, page({ title: 'Console disabled', error: 'ADMIN_TOKEN is not set: the console is disabled' }, html``));
      }
      const session = readCookie(request, CONSOLE_COOKIE);
      if (!sessions.verify(session, now())) {
        if (request.method === 'GET') return reply.redirect('/console/sign-in', 303);
        return sendPage(reply, 401, page({ title: 'Signed out', error: 'no valid session: sign in again' }, html`<a href="/console/sign-in">sign in</a>`));
      }
      (request as FastifyRequest & { consoleSession?: string }).consoleSession = session;
      if (request.method === 'POST' && !sessions.verifyCsrf(session!, (request.body as Form | undefined)?.csrf)) {
        return sendPage(reply, 403, page({ title: 'Refused', error: 'the form\'s CSRF token is missing or wrong: reload the page and try again' }, html``));
      }
      return undefined;
    });

    const csrfOf = (request: FastifyRequest) => sessions!.csrfFor((request as FastifyRequest & { consoleSession?: string }).consoleSession!);
    const render = (active: string, title: string, body: (request: Req) => Promise<SafeHtml>) => async (request: Req, reply: FastifyReply) => {
      let content: SafeHtml;
      try { content = await body(request); } catch (error) {
        return sendPage(reply, 503, page({ title, active, csrf: csrfOf(request), error: errorMessage(error) }, html``));
      }
      return sendPage(reply, 200, page({ title, active, csrf: csrfOf(request), notice: request.query.notice, error: request.query.error }, content));
    };

    scope.get('/console/sign-in', async (request, reply) => {
      if (sessions?.verify(readCookie(request, CONSOLE_COOKIE), now())) return reply.redirect('/console', 303);
      if (!sessions) return sendPage(reply, 403, page({ title: 'Console disabled', error: 'ADMIN_TOKEN is not set: the console is disabled' }, html``));
      return showSignIn(request, reply, 200);
    });
    scope.post<{ Body: Form }>('/console/sign-in', async (request, reply) => {
      if (!sessions || !adminToken) return sendPage(reply, 403, page({ title: 'Console disabled', error: 'ADMIN_TOKEN is not set' }, html``));
      const nonce = readCookie(request, SIGN_IN_COOKIE);
      const body = request.body ?? {};
      if (!nonce || typeof body.nonce !== 'string' || body.nonce !== nonce) {
        return showSignIn(request, reply, 403, 'the sign-in form expired or came from elsewhere: try again');
      }
      if (!sessions.tokenMatches(body.token)) {
        services.logger.warn({ ip: request.ip }, 'console sign-in refused: wrong admin token');
        return showSignIn(request, reply, 401, 'wrong admin token');
      }
      setSessionCookies(reply, request, config.trustProxy, adminToken, sessions.issue(now()));
      return reply.redirect('/console', 303);
    });
    scope.post('/console/sign-out', async (request, reply) => {
      clearSessionCookies(reply, request, config.trustProxy);
      return reply.redirect('/console/sign-in', 303);
    });

    scope.get('/console', render('overview', 'Overview', (r) => overviewPage(commands, csrfOf(r))));
    scope.get('/console/invoices', render('invoices', 'Invoices', (r) => invoicesPage(commands, decimals, csrfOf(r))));
    scope.get('/console/problems', render('problems', 'Problems', (r) => problemsPage(commands, csrfOf(r))));
    scope.get('/console/time', render('time', 'Time', (r) => timePage(commands, csrfOf(r))));
    scope.get('/console/jobs', render('jobs', 'Jobs', (r) => jobsPage(commands, csrfOf(r))));

    scope.get<{ Querystring: { tenant?: string; key?: string } }>('/console/invoices/document.:format', async (request, reply) => {
      const format = (request.params as { format: string }).format;
      const { tenant, key } = request.query;
      if ((format !== 'json' && format !== 'csv') || !key) return reply.code(400).send({ error: 'INPUT_INVALID', message: 'format json|csv and key required' });
      const listing = await commands.listInvoices({ tenant });
      const doc = listing.invoices.find((d) => d.invoiceKey === key);
      if (!doc) return reply.code(404).send({ error: 'INVOICE_NOT_FOUND', message: 'no invoice with that key' });
      const file = `${listing.tenant}-${key}`.replace(/[^A-Za-z0-9._-]/g, '_');
      reply.header('content-disposition', `attachment; filename="${file}.${format}"`).header('cache-control', 'no-store');
      if (format === 'json') return reply.header('content-type', 'application/json').send(`${JSON.stringify({ tenant: listing.tenant, ...doc }, null, 2)}\n`);
      return reply.header('content-type', 'text/csv; charset=utf-8').send(invoiceCsv(doc, listing.tenant));
    });

    // Approve or reject the version of a draft the person saw; an approval queues the run that delivers it.
    scope.post<{ Params: { action: string }; Body: Form }>('/console/invoices/:action', async (request, reply) => {
      const { action } = request.params;
      if (action !== 'approve' && action !== 'reject') return reply.code(404).send();
      const { tenant, key, version } = request.body;
      if (!key || !version) return back(reply, '/console/invoices', { error: 'the form named no invoice or version: reload the page' });
      const answer = await commands.decideInvoice({ tenant, invoiceKey: key, version, action: action === 'approve' ? 'approved' : 'rejected',
        by: 'console (admin token)' }).catch((error: unknown) => ({ ok: false as const, error: 'FAILED', message: errorMessage(error) }));
      if (!answer.ok) return back(reply, '/console/invoices', { error: answer.message });
      const notice = answer.action === 'rejected' ? `rejected ${answer.invoiceKey} (version ${answer.version}): it will not be delivered`
        : answer.alreadyDelivered ? `${answer.invoiceKey} was approved and delivered already: nothing more to do`
          : `approved ${answer.invoiceKey} (version ${answer.version}): delivery and marking run now (job ${answer.jobId ?? 'none'})`;
      return back(reply, '/console/invoices', { notice });
    });

    scope.post<{ Params: { tenant: string }; Body: Form }>('/console/tenants/:tenant/confirm', async (request, reply) => {
      try {
        const state = await commands.confirmFirstRun({ tenant: request.params.tenant, by: 'console (admin token)' });
        return back(reply, '/console', { notice: `${state.tenant}: confirmed; writes go out as configured from now on` });
      } catch (error) { return back(reply, '/console', { error: errorMessage(error) }); }
    });

    scope.post<{ Params: { id: string; action: string }; Body: Form }>('/console/problems/:id/:action', async (request, reply) => {
      const { id, action } = request.params;
      if (action !== 'approve' && action !== 'reject') return reply.code(404).send();
      const request2 = { tenant: request.body.tenant, id };
      const answer = action === 'approve' ? await commands.approveProblemSuggestion(request2) : await commands.rejectProblemSuggestion(request2);
      if (!answer.ok) return back(reply, '/console/problems', { error: answer.message });
      return back(reply, '/console/problems', { notice: action === 'approve'
        ? `approved "${answer.suggestion.title}": linking runs now (job ${answer.jobId ?? 'none needed'})` : `rejected "${answer.suggestion.title}"` });
    });

    scope.post<{ Params: { id: string }; Body: Form }>('/console/time/:id/retry', async (request, reply) => {
      const { tenant, roleId, summaryNotes } = request.body;
      const patch: { roleId?: number; summaryNotes?: string } = {};
      if (roleId !== undefined && roleId.trim() !== '') {
        if (!/^\d{1,10}$/.test(roleId.trim())) return back(reply, '/console/time', { error: 'role id: a whole number' });
        patch.roleId = Number(roleId.trim());
      }
      if (summaryNotes !== undefined && summaryNotes.trim() !== '') patch.summaryNotes = summaryNotes;
      if (Object.keys(patch).length > 0) {
        const corrected = await commands.correctStopwatch(tenant, request.params.id, patch);
        if (!corrected.ok) return back(reply, '/console/time', { error: corrected.message });
      }
      const retried = await commands.retryStopwatch(tenant, request.params.id);
      if (!retried.ok) return back(reply, '/console/time', { error: retried.message });
      return back(reply, '/console/time', { notice: `stopwatch ${request.params.id}: corrected, push queued (job ${retried.jobId ?? 'none'})` });
    });

    scope.post<{ Params: { id: string; action: string }; Body: Form }>('/console/dead-letters/:id/:action', async (request, reply) => {
      const { id, action } = request.params;
      try {
        if (action === 'requeue') {
          const result = await commands.requeueDeadLetter(id);
          return back(reply, '/console/jobs', { notice: `requeued ${id} as job ${result.jobId}` });
        }
        if (action === 'discard') {
          await commands.discardDeadLetter(id);
          return back(reply, '/console/jobs', { notice: `discarded ${id}` });
        }
        return await reply.code(404).send();
      } catch (error) { return back(reply, '/console/jobs', { error: errorMessage(error) }); }
    });
  });
}
