/**
 * Title similarity for problem detection. Monitoring tools write the same alert with a different time, counter
 * or percentage each time ("SRV-DC01 offline - ping failed at 14:05"), so dates, times and numbers collapse to
 * placeholders; the machine's name is what tells two alerts apart, so host-style tokens (SRV-DC01,
 * server01.corp.local, 10.0.0.5) are kept whole as identity tokens. Two titles are compared as token sets by
 * containment (shared / smaller set): an alert that gains "ping failed" keeps matching its shorter sibling.
 */

export const PLACEHOLDER = { date: '<date>', time: '<time>', number: '<n>' } as const;

/** Words that carry no meaning for "same root cause"; `problem` because a Problem's title repeats its incidents'. */
const STOPWORDS = new Set(['a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'has', 'have', 'had', 'at',
  'on', 'in', 'of', 'for', 'to', 'from', 'by', 'with', 'and', 'or', 'as', 'this', 'that', 'it', 're', 'fw', 'fwd',
  'problem', 'alert', 'ticket']);

/**
 * Status words every alert uses. They weigh half, and sharing only these and a host name is not similarity:
 * "Backup failed on SRV-DC01" is not "SRV-DC01 offline - ping failed".
 */
const GENERIC = new Set(['fail', 'failed', 'fails', 'failure', 'failing', 'error', 'errors', 'warning', 'warn',
  'critical', 'alarm', 'issue', 'issues', 'urgent', 'please', 'help', 'not', 'no', 'new', 'again', 'still']);

/** Placeholders say "some value was here", which is weak evidence of sameness; so do generic words. */
const WEAK_WEIGHT = 0.5;

// One pass, first alternative wins: ISO date(-time), d/m/y date, clock time, then any dotted/hyphenated word.
const TOKEN = new RegExp([
  String.raw`(\d{4}-\d{1,2}-\d{1,2}(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?z?)?)`,
  String.raw`(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?![.\d]))`,
  String.raw`(\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]m\b)?|\d{1,2}\s?[ap]m\b)`,
  String.raw`([\p{L}\p{N}]+(?:[._-][\p{L}\p{N}]+)*)`,
].join('|'), 'gu');
const HAS_DIGIT = /\p{N}/u;
const HAS_LETTER = /\p{L}/u;
const NUMBER = /^[\p{N}._-]+$/u;
/** A number with a unit or ordinal suffix (500mb, 30s, 2nd) is a measurement, not a name. */
const MEASURE = /^\p{N}+(?:[.,]\p{N}+)?(?:st|nd|rd|th|[kmgt]i?b|b|ms|s|m|h|d|x|k)$/u;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export interface TitleTokens {
  /** Distinct normalised tokens, stopwords removed. */
  readonly tokens: ReadonlySet<string>;
  /** The identity tokens among them (host names, addresses, codes with letters and digits). */
  readonly hosts: ReadonlySet<string>;
  /** Tokens that say what happened: neither host, placeholder nor generic word. */
  readonly content: number;
  /** Sum of token weights (placeholders and generic words count half). */
  readonly weight: number;
}

/** Host-style: letters and digits together (srv-dc01, kb5034441), a dotted name (server01.corp.local), an IPv4 address. */
function isIdentityToken(word: string): boolean {
  if (IPV4.test(word)) return true;
  if (MEASURE.test(word)) return false;
  const digit = HAS_DIGIT.test(word);
  const letter = HAS_LETTER.test(word);
  return (digit && letter) || (letter && word.includes('.'));
}

/** The title's tokens in order, lower-cased, with dates, times and numbers as placeholders. */
export function normalisedTokens(title: string | null | undefined): string[] {
  const out: string[] = [];
  if (!title) return out;
  const text = title.toLowerCase();
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    if (m[1] !== undefined) {
      out.push(PLACEHOLDER.date);
      if (/[t ]\d/.test(m[1].slice(8))) out.push(PLACEHOLDER.time);
    } else if (m[2] !== undefined) out.push(PLACEHOLDER.date);
    else if (m[3] !== undefined) out.push(PLACEHOLDER.time);
    else {
      const word = m[4] ?? '';
      if (isIdentityToken(word)) out.push(word);
      else if (NUMBER.test(word) || MEASURE.test(word)) out.push(PLACEHOLDER.number);
      else for (const part of word.split(/[._-]/)) if (part) out.push(part);
    }
  }
  return out;
}

/** Human-readable normal form: "server srv-dc01 is offline - ping failed at 14:05" → "server srv-dc01 is offline ping failed at <time>". */
export function normaliseTitle(title: string | null | undefined): string {
  return normalisedTokens(title).join(' ');
}

type TokenKind = 'host' | 'weak' | 'content';

function tokenKind(token: string): TokenKind {
  if (token.startsWith('<') || GENERIC.has(token)) return 'weak';
  return isIdentityToken(token) ? 'host' : 'content';
}

export function tokenizeTitle(title: string | null | undefined): TitleTokens {
  const tokens = new Set<string>();
  const hosts = new Set<string>();
  let weight = 0;
  let content = 0;
  for (const token of normalisedTokens(title)) {
    if (STOPWORDS.has(token) || tokens.has(token)) continue;
    tokens.add(token);
    const kind = tokenKind(token);
    weight += kind === 'weak' ? WEAK_WEIGHT : 1;
    if (kind === 'host') hosts.add(token);
    if (kind === 'content') content += 1;
  }
  return { tokens, hosts, content, weight };
}

/** Sorted distinct tokens: the same alert with another time or counter gives the same signature. */
export function titleSignature(tokens: TitleTokens): string {
  return [...tokens.tokens].sort().join(' ');
}

function sharesAny(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const token of small) if (large.has(token)) return true;
  return false;
}

export interface SimilarityOptions {
  /** Score 0 unless both titles name a common host-style token. */
  requireSharedHost?: boolean | undefined;
}

/**
 * Weighted containment in 0..1: the shared weight over the smaller title's weight, but over at least 2, so one
 * shared word ("offline") never makes two titles alike. Equal token sets score 1. Titles naming different hosts
 * score 0 — "disk full on SRV-FS01" and "disk full on SRV-FS02" are two problems — and so do titles that share
 * no word saying what happened.
 */
export function titleSimilarity(a: TitleTokens, b: TitleTokens, options: SimilarityOptions = {}): number {
  if (a.hosts.size > 0 && b.hosts.size > 0 && !sharesAny(a.hosts, b.hosts)) return 0;
  if (options.requireSharedHost && (a.hosts.size === 0 || b.hosts.size === 0)) return 0;
  if (a.tokens.size === 0 || b.tokens.size === 0) return 0;
  const [small, large] = a.tokens.size <= b.tokens.size ? [a, b] : [b, a];
  let shared = 0;
  let count = 0;
  let sharedContent = 0;
  for (const token of small.tokens) {
    if (!large.tokens.has(token)) continue;
    const kind = tokenKind(token);
    shared += kind === 'weak' ? WEAK_WEIGHT : 1;
    if (kind === 'content') sharedContent += 1;
    count += 1;
  }
  if (count === a.tokens.size && count === b.tokens.size) return 1;
  if (sharedContent === 0 && (a.content > 0 || b.content > 0)) return 0;
  return Math.min(1, shared / Math.max(Math.min(a.weight, b.weight), 2));
}

/**
 * Similarity of a title to a title already in a group. A group title naming several hosts ("Disk space low on
 * SRV-FS01, SRV-SQL02, SRV-DC01") matches only the same title again: through it, a single SQL02 alert and a
 * single DC01 alert would both look like the FS01 series, and one ticket would hold unrelated series together.
 */
export function memberSimilarity(member: TitleTokens, tokens: TitleTokens, options: SimilarityOptions = {}): number {
  if (member === tokens) return !options.requireSharedHost || tokens.hosts.size > 0 ? 1 : 0;
  if (member.hosts.size > 1) return 0;
  return titleSimilarity(tokens, member, options);
}

export function areTitlesSimilar(a: TitleTokens, b: TitleTokens, threshold: number, options: SimilarityOptions = {}): boolean {
  return titleSimilarity(a, b, options) >= threshold;
}

/**
 * Tokenised titles by raw title, for one detection run: monitoring tools repeat the same title, so most
 * tickets cost a map look-up. Bounded: when full it starts over, so memory never grows with the tenant.
 */
export class TitleTokenCache {
  private readonly map = new Map<string, TitleTokens>();
  constructor(private readonly limit = 200_000) {}

  of(title: string | null | undefined): TitleTokens {
    const key = title ?? '';
    let tokens = this.map.get(key);
    if (tokens === undefined) {
      if (this.map.size >= this.limit) this.map.clear();
      tokens = tokenizeTitle(key);
      this.map.set(key, tokens);
    }
    return tokens;
  }
}
