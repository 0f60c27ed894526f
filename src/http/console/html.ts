/**
 * The console's HTML: a tagged template that escapes every interpolated value unless it is already markup built
 * by this same tag (SafeHtml). Arrays are joined. Nothing user- or Autotask-supplied reaches the page unescaped.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string { return this.value; }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type Part = SafeHtml | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return escapeHtml(part);
}

export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => { out += render(value) + (strings[i + 1] ?? ''); });
  return new SafeHtml(out);
}

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2b4f;color:#fff;padding:.6rem 1rem;display:flex;gap:1.2rem;align-items:center}
header a{color:#cfe0ff;text-decoration:none}header a.on{color:#fff;font-weight:600;border-bottom:2px solid #fff}
header form{margin-left:auto}main{padding:1rem 1.5rem;max-width:1200px}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1.5rem}
th,td{border:1px solid #dde1e8;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#eef1f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#17702d}.bad{color:#a4161a}.warn{color:#8a5a00}.muted{color:#667}
.notice{background:#e7f4ea;border:1px solid #9ccfa8;padding:.5rem;margin:.5rem 0}
.error{background:#fbe9e9;border:1px solid #e3a1a1;padding:.5rem;margin:.5rem 0}
button{cursor:pointer;padding:.2rem .6rem}form.inline{display:inline}
ul.tickets{margin:0 0 .3rem;padding-left:1rem}
input[type=text],input[type=password],input[type=number]{padding:.2rem .3rem}
`;

export interface PageOptions {
  title: string;
  active?: string;
  csrf?: string;
  notice?: string | undefined;
  error?: string | undefined;
}

const NAV: Array<[string, string]> = [['overview', '/console'], ['invoices', '/console/invoices'], ['problems', '/console/problems'],
  ['time', '/console/time'], ['jobs', '/console/jobs']];

export function page(options: PageOptions, body: SafeHtml): string {
  const nav = options.csrf === undefined ? '' : html`${NAV.map(([name, href]) => html`<a href="${href}" class="${name === options.active ? 'on' : ''}">${name}</a>`)}
<form method="post" action="/console/sign-out"><input type="hidden" name="csrf" value="${options.csrf}"><button>sign out</button></form>`;
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><title>${options.title} · autotask-sync</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${new SafeHtml(CSS)}</style></head>
<body><header><strong>autotask-sync</strong>${nav}</header><main>
<h1>${options.title}</h1>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
${body}</main></body></html>`.value}`;
}

/** A POST button form carrying the CSRF token and any extra hidden fields. */
export function postButton(action: string, label: string, csrf: string, fields: Record<string, string> = {}, name?: string): SafeHtml {
  return html`<form class="inline" method="post" action="${action}"><input type="hidden" name="csrf" value="${csrf}">${
    Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button${name ? html` name="action" value="${name}"` : ''}>${label}</button></form>`;
}
