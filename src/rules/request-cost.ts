/**
 * What a run costs in Autotask requests, against the tenant's hourly budget (issue 17 item 4, docs/request-cost.md).
 * Pure: the requests counted at the client, the writes a dry run planned, the budget read from the governor
 * (ThresholdInformation × budgetFraction) and `now` come in; the cost and how long it takes at that budget come out.
 */
export interface RequestLine {
  entity: string;
  method: string;
  count: number;
}

export interface BudgetFigures {
  /** Requests this deployment may spend on the tenant per rolling hour. */
  ceiling: number;
  /** Of those, what is left in the current hour. */
  left: number;
}

export interface RequestCost {
  /** 'spent' for a real run (counted), 'forecast' for a dry run (its reads counted plus the writes it planned). */
  kind: 'spent' | 'forecast';
  requests: Array<RequestLine & { shareOfHour: number }>;
  total: number;
  hourlyBudget: number;
  /** total / hourlyBudget (1 = a whole hour's budget). */
  shareOfHour: number;
  /** Hours of budget the requests take (at least the share of one hour). */
  hoursAtBudget: number;
  /** Set when the requests exceed what is left this hour: the run waits for budget until about then. */
  spreadsUntil: string | null;
  left: number;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** Sums lines by entity and method. */
export function mergeRequestLines(...groups: ReadonlyArray<readonly RequestLine[]>): RequestLine[] {
  const out = new Map<string, RequestLine>();
  for (const line of groups.flat()) {
    const key = `${line.entity} ${line.method}`;
    const entry = out.get(key);
    if (entry) entry.count += line.count;
    else out.set(key, { ...line });
  }
  return [...out.values()].sort((a, b) => a.entity.localeCompare(b.entity) || a.method.localeCompare(b.method));
}

/**
 * The writes of a dry run's plan as requests: each POST/PATCH is one Autotask request (docs/request-cost.md: there
 * is no batch write); deliveries go to the MSP's sinks, not Autotask, and cost none.
 */
export function plannedRequests(writes: ReadonlyArray<{ method: string; entity: string }>): RequestLine[] {
  return mergeRequestLines(writes.filter((w) => w.method === 'POST' || w.method === 'PATCH')
    .map((w) => ({ entity: w.entity, method: w.method, count: 1 })));
}

export function requestCost(input: { kind: RequestCost['kind']; lines: readonly RequestLine[]; budget: BudgetFigures; now: Date }): RequestCost {
  const lines = mergeRequestLines(input.lines);
  const total = lines.reduce((sum, l) => sum + l.count, 0);
  const ceiling = Math.max(0, input.budget.ceiling);
  const left = Math.max(0, Math.min(input.budget.left, ceiling));
  const share = (n: number): number => (ceiling > 0 ? round(n / ceiling) : 0);
  // Past what is left this hour, each further hour frees about one hour's budget (the window rolls).
  const over = total - left;
  const spreadsUntil = over > 0 && ceiling > 0 ? new Date(input.now.getTime() + Math.ceil((over / ceiling) * 3_600_000)).toISOString() : null;
  return { kind: input.kind, requests: lines.map((l) => ({ ...l, shareOfHour: share(l.count) })), total, hourlyBudget: ceiling,
    shareOfHour: share(total), hoursAtBudget: share(total), spreadsUntil, left };
}

/** One line for a job summary, e.g. "Autotask requests (forecast): 20,012 = 4.00 h of budget (5,000/h); ...". */
export function describeRequestCost(cost: RequestCost): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  const per = cost.requests.map((l) => `${l.entity} ${l.method} ${n(l.count)}`).join(', ');
  const hours = cost.hourlyBudget > 0 ? `${(cost.total / cost.hourlyBudget).toFixed(2)} h of the hourly budget (${n(cost.hourlyBudget)}/h)` : 'hourly budget unknown';
  const spread = cost.spreadsUntil ? `; more than the ${n(cost.left)} left this hour: it spreads until about ${cost.spreadsUntil}` : '';
  return `Autotask requests (${cost.kind}): ${n(cost.total)} = ${hours}${per ? ` [${per}]` : ''}${spread}`;
}

/**
 * The progress a run reports when it needs more requests than the hour has left (it then waits for budget as it
 * goes, docs/request-cost.md); null when it fits.
 */
export function budgetProgress(needed: number, budget: BudgetFigures, now: Date): { budget: { needed: number; left: number; spreadsUntil: string } } | null {
  const cost = requestCost({ kind: 'forecast', lines: [{ entity: '*', method: '*', count: needed }], budget, now });
  return cost.spreadsUntil === null ? null : { budget: { needed, left: cost.left, spreadsUntil: cost.spreadsUntil } };
}
