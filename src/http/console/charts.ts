/**
 * The overview's small budget chart (issue 18: "budget used and left this hour, a small chart over the last 24 h"):
 * inline SVG rendered on the server, no script (the console's CSP allows none), one bar per hour of requests sent,
 * a red mark on hours with 429 answers or budget holds, and our hourly ceiling as a dashed line when it is in range.
 */
import type { HourUsage } from '../../runtime/commands/index.js';
import { html, type SafeHtml } from './html.js';

const BAR = 8;
const GAP = 2;
const HEIGHT = 44;
const MARK = 3;

function hourLabel(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function budgetChart(hours: readonly HourUsage[], ceiling: number | null): SafeHtml {
  if (hours.length === 0) return html`<span class="muted">no history (no governor)</span>`;
  const peak = Math.max(1, ...hours.map((h) => h.requests));
  // Scale to the busiest hour; the ceiling line shows only when an hour came within reach of it.
  const scale = ceiling !== null && ceiling > 0 && ceiling <= peak * 1.25 ? Math.max(peak, ceiling) : peak;
  const plot = HEIGHT - MARK - 1;
  const width = hours.length * (BAR + GAP);
  const bars = hours.map((h, i) => {
    const height = h.requests === 0 ? 0 : Math.max(1, Math.round((h.requests / scale) * plot));
    const x = i * (BAR + GAP);
    const tip = `${hourLabel(h.hour)}: ${h.requests} requests, ${h.throttled429} answered 429, ${h.budgetHeld} held for budget, ${h.slotWaits} waited for a slot`;
    const throttled = h.throttled429 + h.budgetHeld > 0;
    return html`<g class="hour" data-hour="${h.hour}" data-requests="${h.requests}" data-throttled="${h.throttled429 + h.budgetHeld}"><title>${tip}</title>
<rect x="${x}" y="${MARK + 1 + plot - height}" width="${BAR}" height="${height}" fill="#3b6fd8"></rect>${
  throttled ? html`<rect class="throttled" x="${x}" y="0" width="${BAR}" height="${MARK}" fill="#a4161a"></rect>` : ''}</g>`;
  });
  const y = ceiling !== null && ceiling > 0 && ceiling <= scale ? MARK + 1 + plot - Math.round((ceiling / scale) * plot) : null;
  const line = y === null ? '' : html`<line class="ceiling" x1="0" x2="${width}" y1="${y}" y2="${y}" stroke="#8a5a00" stroke-dasharray="3 2"></line>`;
  return html`<svg class="budget-chart" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img"
aria-label="requests per hour over the last 24 hours, peak ${peak}"><rect x="0" y="${HEIGHT - 1}" width="${width}" height="1" fill="#dde1e8"></rect>${bars}${line}</svg>
<br><span class="muted">per hour, last 24 h · peak ${peak}</span>`;
}
