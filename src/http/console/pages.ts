/** The console's pages: each reads through the runtime commands and renders escaped HTML (./html.ts). */
import type { ActiveRun, FirstRunState, ReadinessReport, RecentRun, RuntimeCommands, StopwatchView, SuggestionView, TenantUsage, TicketRef } from '../../runtime/commands/index.js';
import { budgetChart } from './charts.js';
import type { DeadLetter } from '../../runtime/dead-letter.js';
import { html, postButton, SafeHtml } from './html.js';

const TZ = 'UTC';
/** Times with date and zone, always (a bare "10:02" on a dashboard is ambiguous). */
function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} ${TZ}`;
}
function seconds(ms: number | null): string {
  return ms === null ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Budget used and left this hour with the 24 h chart, and the throttled requests (every process's, from Redis). */
function usageCells(u: TenantUsage | undefined): SafeHtml {
  if (!u) return html`<td>—</td><td>—</td>`;
  const b = u.budget;
  const row = (label: string, hour: number, day: number, cls: string) =>
    html`<li class="${cls}"><span class="${day > 0 ? 'warn' : ''}">${label}</span>: <span class="hour">${hour}</span> / <span class="day">${day}</span></li>`;
  return html`<td class="budget">${b ? html`<span class="${b.left === 0 ? 'bad' : 'ok'}">${b.used} used, ${b.left} left</span>
<span class="muted">of ${b.ceiling} (our share of ${b.threshold ?? 'an assumed 10000'})</span>` : html`<span class="bad">unknown</span>`}<br>
${budgetChart(u.hours, b?.ceiling ?? null)}${u.error ? html`<br><span class="bad">${u.error}</span>` : ''}</td>
<td class="throttled"><ul class="tickets">${row('429 from Autotask', u.thisHour.throttled429, u.last24h.throttled429, 'status429')}
${row('held for budget', u.thisHour.budgetHeld, u.last24h.budgetHeld, 'budget-held')}
${row('slot waits', u.thisHour.slotWaits, u.last24h.slotWaits, 'slot-waits')}</ul></td>`;
}

export async function overviewPage(commands: RuntimeCommands, csrf: string): Promise<SafeHtml> {
  const [states, readiness, letters, runs, next, usage] = await Promise.all([commands.firstRunStates(), commands.readiness()
    .catch((e: unknown): ReadinessReport => ({ ready: false, degraded: [], checks: { redis: { ok: false, reason: String(e) } } })),
  commands.listDeadLetters(), commands.recentRuns(200), commands.nextRuns(), Promise.all(commands.tenantIds().map((t) => commands.tenantUsage(t)))]);
  const rows = states.map((s: FirstRunState) => {
    const check = readiness.checks[`tenant:${s.tenant}`];
    const last = runs.find((r) => r.name === 'sync-all' && r.tenant === s.tenant);
    const nextRun = next.find((n) => n.job === 'sync-all' && n.tenant === s.tenant);
    const dead = letters.filter((l) => l.tenant === s.tenant).length;
    return html`<tr data-tenant="${s.tenant}"><td>${s.tenant}</td>
<td>${last ? html`<span class="${last.outcome === 'completed' ? 'ok' : 'bad'}">${last.outcome}</span> ${when(last.finishedAt)}
${last.failedStages.length ? html`<br>failed stage: ${last.failedStages.join(', ')}` : ''}<details><summary class="muted">summary</summary><span class="muted">${last.summary.split('\n').slice(1).join('; ')}</span></details>` : '—'}</td>
<td>${nextRun ? when(nextRun.next) : html`<span class="muted">no schedule</span>`}</td>
${usageCells(usage.find((u) => u.tenant === s.tenant))}
<td class="num">${dead}</td>
<td>${check ? html`<span class="${check.ok ? 'ok' : 'bad'}">${check.ok ? 'ready' : 'not ready'}</span> ${check.reason ?? ''}` : '—'}</td>
<td class="first-run">${s.confirmed ? html`<span class="ok">confirmed</span> ${when(s.confirmedAt)} by ${s.confirmedBy ?? '?'}`
    : html`<span class="warn">first-run: dry runs only</span><ul>${s.previews.map((p) => html`<li>${p.job}: would write ${p.wouldWrite} — ${p.summary.split('\n')[0] ?? ''}</li>`)}</ul>
${postButton(`/console/tenants/${encodeURIComponent(s.tenant)}/confirm`, 'confirm: let it write', csrf)}`}</td></tr>`;
  });
  // One line on purpose: a line break between the status and the full stop renders as "ready ." in the browser.
  const degraded = readiness.degraded.length ? html` · degraded tenants: ${readiness.degraded.join(', ')}` : '';
  return html`<p>Instance ${readiness.ready ? html`<span class="ok">ready</span>` : html`<span class="bad">not ready</span>`}${degraded}. Times in ${TZ}.</p>
<table id="tenants"><thead><tr><th>tenant</th><th>last sync-all</th><th>next sync-all</th><th>Autotask budget (rolling hour)</th>
<th>throttled: this hour / 24 h</th><th>dead letters</th><th>Autotask</th><th>first run</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** A ticket as a link into Autotask: its number (or id when not pulled) and title, both escaped. */
function ticketLink(ref: TicketRef | undefined, id: number): SafeHtml {
  if (!ref) return html`<span class="ticket">#${id}</span>`;
  const label = ref.ticketNumber ?? `#${id}`;
  return html`<span class="ticket" data-ticket="${id}">${ref.url === null ? label : html`<a href="${ref.url}" target="_blank" rel="noopener noreferrer">${label}</a>`}${
    ref.title === null ? html` <span class="muted">(not pulled yet)</span>` : html` ${ref.title}`}</span>`;
}

function ticketList(ids: readonly number[], refs: Map<number, TicketRef>): SafeHtml {
  return ids.length ? html`<ul class="tickets">${ids.map((id) => html`<li>${ticketLink(refs.get(id), id)}</li>`)}</ul>` : html`—`;
}

function suggestionRow(tenant: string, s: SuggestionView, csrf: string, refs: Map<number, TicketRef>): SafeHtml {
  const base = `/console/problems/${encodeURIComponent(s.id)}`;
  return html`<tr data-suggestion="${s.id}"><td>${s.title}</td><td>${s.problemTicketId === null ? 'new Problem' : html`join ${ticketLink(refs.get(s.problemTicketId), s.problemTicketId)}`}</td>
<td class="members">${ticketList(s.ticketIds, refs)}<span class="muted">to link: ${s.newLinks.join(', ')}</span></td>
<td>${s.reason}</td><td>${Math.round(s.confidence * 100)}% <span class="muted">${s.confidenceReason}</span></td><td>${s.status}</td>
<td>${s.status === 'open' ? [postButton(`${base}/approve`, 'approve', csrf, { tenant }), postButton(`${base}/reject`, 'reject', csrf, { tenant })] : ''}</td></tr>`;
}

export async function problemsPage(commands: RuntimeCommands, csrf: string): Promise<SafeHtml> {
  const parts: SafeHtml[] = [];
  for (const tenant of commands.tenantIds()) {
    const { suggestions } = await commands.listProblemSuggestions({ tenant });
    const open = suggestions.filter((s) => s.status === 'open' || s.status === 'approved');
    const done = suggestions.filter((s) => s.status === 'linked');
    const ids = [...open, ...done].flatMap((s) => [...s.ticketIds, ...(s.outcome?.linked ?? []),
      ...(s.problemTicketId === null ? [] : [s.problemTicketId]), ...(s.outcome?.problemTicketId ? [s.outcome.problemTicketId] : [])]);
    const refs = new Map((await commands.ticketRefs({ tenant, ids })).map((r) => [r.id, r]));
    parts.push(html`<h2>${tenant}: suggestions waiting for a person (${open.length})</h2>
<table id="suggestions-${tenant}"><thead><tr><th>title</th><th>problem</th><th>member tickets</th><th>reason</th><th>confidence</th><th>status</th><th></th></tr></thead>
<tbody>${open.map((s) => suggestionRow(tenant, s, csrf, refs))}</tbody></table>
<h2>${tenant}: Problems created or joined from suggestions (${done.length})</h2>
<table id="linked-${tenant}"><thead><tr><th>title</th><th>Problem ticket</th><th>incidents linked</th><th>decided</th></tr></thead><tbody>
${done.map((s) => html`<tr data-suggestion="${s.id}"><td>${s.title}</td><td class="problem">${s.outcome?.problemTicketId ? ticketLink(refs.get(s.outcome.problemTicketId), s.outcome.problemTicketId) : '—'}</td>
<td class="incidents">${ticketList(s.outcome?.linked ?? [], refs)}</td><td>${when(s.decidedAt)}</td></tr>`)}
</tbody></table>
<p class="muted">Rejected: ${suggestions.filter((s) => s.status === 'rejected').length} (kept, so detection does not propose them again).
Ticket links open Autotask (sign in there first).</p>`);
  }
  return html`${parts}`;
}

function stopwatchRow(tenant: string, sw: StopwatchView, csrf: string, refused: boolean): SafeHtml {
  return html`<tr data-stopwatch="${sw.id}"><td>${sw.id}</td><td>${sw.ticketId}</td><td>${sw.resourceId}</td><td>${sw.roleId ?? '—'}</td>
<td class="num">${(sw.workedSeconds / 3600).toFixed(2)} h</td><td>${when(sw.startedAt)}</td>
${refused ? html`<td class="bad">${sw.pushError ?? ''}</td><td><form method="post" action="/console/time/${encodeURIComponent(sw.id)}/retry">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="tenant" value="${tenant}">
<label>role id <input type="number" name="roleId" value="${sw.roleId ?? ''}" min="1"></label>
<label>summary notes <input type="text" name="summaryNotes"></label>
<button>correct and retry</button></form></td>` : html`<td>${sw.state}</td><td>${sw.timeEntryId ?? ''}</td>`}</tr>`;
}

export async function timePage(commands: RuntimeCommands, csrf: string): Promise<SafeHtml> {
  const parts: SafeHtml[] = [];
  for (const tenant of commands.tenantIds()) {
    const [running, paused, refused, pushed] = await Promise.all((['running', 'paused', 'refused', 'pushed'] as const)
      .map((state) => commands.listStopwatches({ tenant, state, limit: 100 })));
    const head = (last: string) => html`<thead><tr><th>id</th><th>ticket</th><th>resource</th><th>role</th><th>worked</th><th>started</th>${new SafeHtml(last)}</tr></thead>`;
    parts.push(html`<h2>${tenant}: running and paused (${running!.length + paused!.length})</h2>
<table id="active-${tenant}">${head('<th>state</th><th>time entry</th>')}<tbody>${[...running!, ...paused!].map((sw) => stopwatchRow(tenant, sw, csrf, false))}</tbody></table>
<h2>${tenant}: refused by Autotask (${refused!.length})</h2>
<table id="refused-${tenant}">${head('<th>reason</th><th>correct</th>')}<tbody>${refused!.map((sw) => stopwatchRow(tenant, sw, csrf, true))}</tbody></table>
<h2>${tenant}: pushed (${pushed!.length})</h2>
<table id="pushed-${tenant}">${head('<th>state</th><th>time entry</th>')}<tbody>${pushed!.map((sw) => stopwatchRow(tenant, sw, csrf, false))}</tbody></table>`);
  }
  return html`${parts}`;
}

/** A run's budget note in words: what it needs, what the hour has left, until when it spreads or waits. */
function budgetNote(budget: ActiveRun['budget']): SafeHtml | string {
  if (!budget) return '';
  const n = (v: number | null): string => (v === null ? '?' : v.toLocaleString('en-US'));
  return html`<span class="warn">${budget.needed !== null ? `needs ${n(budget.needed)} Autotask requests, ${n(budget.left)} left this hour` : 'hourly budget used up'}${
    budget.spreadsUntil ? `; spreads until about ${when(budget.spreadsUntil)}` : ''}${budget.waitingUntil ? `; waiting for budget until ${when(budget.waitingUntil)}` : ''}</span>`;
}

export async function jobsPage(commands: RuntimeCommands, csrf: string): Promise<SafeHtml> {
  const [runs, letters, active] = await Promise.all([commands.recentRuns(100), commands.listDeadLetters(), commands.activeRuns(100)]);
  return html`<p>Queue internals: <a href="/admin/queues">Bull Board</a>. Times in ${TZ}.</p>
<h2>Running and waiting (${active.length})</h2>
${active.length === 0 ? html`<p class="muted">Nothing is running or waiting.</p>` : html`<table id="active-runs"><thead><tr><th>job</th><th>tenant</th><th>state</th><th>goes on</th><th>Autotask budget</th></tr></thead><tbody>
${active.map((r: ActiveRun) => html`<tr data-job="${r.id}"><td>${r.name}</td><td>${r.tenant}</td><td>${r.state}</td><td>${r.resumesAt ? when(r.resumesAt) : '—'}</td>
<td>${budgetNote(r.budget)}</td></tr>`)}</tbody></table>`}
<h2>Dead letters (${letters.length})</h2>
<table id="dead-letters"><thead><tr><th>job</th><th>tenant</th><th>failed at</th><th>attempts</th><th>reason</th><th></th></tr></thead><tbody>
${letters.map((l: DeadLetter) => html`<tr data-letter="${l.id}"><td>${l.name}</td><td>${l.tenant}</td><td>${when(l.failedAt)}</td><td class="num">${l.attemptsMade}</td>
<td>${l.failedReason}</td><td>${postButton(`/console/dead-letters/${encodeURIComponent(l.id)}/requeue`, 'requeue', csrf)}
${postButton(`/console/dead-letters/${encodeURIComponent(l.id)}/discard`, 'discard', csrf)}</td></tr>`)}</tbody></table>
<h2>Recent runs</h2>
<table id="runs"><thead><tr><th>job</th><th>tenant</th><th>finished</th><th>duration</th><th>outcome</th><th>summary</th></tr></thead><tbody>
${runs.map((r: RecentRun) => html`<tr><td>${r.name}</td><td>${r.tenant}</td><td>${when(r.finishedAt)}</td><td class="num">${seconds(r.durationMs)}</td>
<td class="${r.outcome === 'completed' ? 'ok' : 'bad'}">${r.outcome}${r.failedStages.length ? html`<br>failed stage: ${r.failedStages.join(', ')}` : ''}</td>
<td>${r.summary.split('\n')[0] ?? ''}</td></tr>`)}</tbody></table>`;
}

export function signInPage(nonce: string): SafeHtml {
  return html`<form method="post" action="/console/sign-in"><input type="hidden" name="nonce" value="${nonce}">
<label>Admin token <input type="password" name="token" autocomplete="current-password" autofocus required></label>
<button>sign in</button></form><p class="muted">The same ADMIN_TOKEN as the API and the Bull Board.</p>`;
}
