import { isIP } from 'node:net';
import type { Analysis, AnalyzedReport } from '../analysis/types.ts';

/**
 * Values from reported mail made storable, at the one edge where they enter Postgres (the worker's
 * commit, the intake's insert). A report is never lost over its content: Postgres refuses NUL in
 * text and jsonb, lone UTF-16 surrogates in jsonb (and node-postgres turns them into U+FFFD in
 * text anyway), strings longer than a varchar, index entries over ~2.7 kB, and timestamps outside
 * its range — each of those used to fail the job eight times and drop the report. The full value
 * stays in the raw message; the stored copy is cleaned and cut. See docs/extraction.md, "Storable values".
 */

/** What replaces a NUL or a lone surrogate: visible, and storable everywhere. */
export const REPLACEMENT = '\ufffd';

/**
 * Column sizes of `reports` (varchar(n) in the migrations), and bounds for the text columns an
 * index holds (a btree entry must stay under ~2.7 kB: `reports_stats_cover` includes from_domain,
 * reputation keys are primary keys) or that analysts search (subject, from, message id).
 */
export const REPORT_LIMITS = {
  subject: 2000,
  from: 1000,
  /** Host names are at most 253 characters; 255 leaves a trailing dot. */
  domain: 255,
  messageId: 1000,
  /** An address is at most 254 characters (RFC 5321 path); X-Reporter allows 320. */
  reporter: 320,
  direction: 16,
  tenant: 100,
  tenantConfidence: 16,
  feedbackType: 32,
} as const;

// A lone high surrogate (not followed by a low one) or a lone low surrogate (not after a high one).
const NOT_STORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `value` with NUL and lone surrogates replaced, cut to `maxChars` characters (code points, as varchar counts). */
export function storableText(value: string, maxChars?: number): string;
export function storableText(value: string | null | undefined, maxChars?: number): string | null;
export function storableText(value: string | null | undefined, maxChars?: number): string | null {
  if (value === null || value === undefined) return null;
  let s = value.replace(NOT_STORABLE, REPLACEMENT);
  if (maxChars !== undefined && s.length > maxChars) s = cutToCodePoints(s, maxChars);
  return s;
}

/** The first `max` code points (a surrogate pair is one character to Postgres, and must not be split). */
function cutToCodePoints(s: string, max: number): string {
  let units = 0;
  for (let n = 0; n < max && units < s.length; n++) {
    const c = s.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < s.length ? 2 : 1;
  }
  return s.slice(0, units);
}

/** A deep copy of JSON-able data with every string (keys too) storable; non-finite numbers become null. */
export function storableJson<T>(value: T): T {
  return clean(value) as T;
}

function clean(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[storableText(k)] = clean(x);
    return out;
  }
  return v;
}

/** An ISO timestamp Postgres can store (years 1–9999), else null (an odd Date header stays in the raw message). */
export function storableTimestamp(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  const year = d.getUTCFullYear();
  return Number.isNaN(d.getTime()) || year < 1 || year > 9999 ? null : d.toISOString();
}

/** An address `inet` takes (no zone id), else null. */
export function storableInet(ip: string | null | undefined): string | null {
  return ip && isIP(ip) !== 0 && !ip.includes('%') ? ip : null;
}

/** One analysed report with every value storable in `reports` (and in the reputation tables). */
export function storableReport(r: AnalyzedReport): AnalyzedReport {
  const L = REPORT_LIMITS;
  return {
    ...r,
    subject: storableText(r.subject, L.subject),
    from: storableText(r.from, L.from),
    fromDomain: storableText(r.fromDomain, L.domain),
    messageId: storableText(r.messageId, L.messageId),
    date: storableTimestamp(r.date),
    receivedChain: storableJson(r.receivedChain),
    hops: storableJson(r.hops),
    direction: storableText(r.direction, L.direction) as AnalyzedReport['direction'],
    relayIp: storableInet(r.relayIp),
    originatingIp: storableInet(r.originatingIp),
    tenant: storableText(r.tenant, L.tenant),
    tenantConfidence: storableText(r.tenantConfidence, L.tenantConfidence) as AnalyzedReport['tenantConfidence'],
    recipientTenant: storableText(r.recipientTenant, L.tenant),
    feedbackType: storableText(r.feedbackType, L.feedbackType),
    arf: r.arf ? storableJson(r.arf) : null,
    sendingDomain: storableText(r.sendingDomain, L.domain),
    reporter: storableText(r.reporter, L.reporter),
    evidence: storableJson(r.evidence),
  };
}

/** An analysis whose reports (and discard reason) can all be written. */
export function storableAnalysis(a: Analysis): Analysis {
  return {
    ...a,
    reports: a.reports.map(storableReport),
    reason: storableText(a.reason, 2000),
    wrapper: a.wrapper ? { from: storableText(a.wrapper.from), subject: storableText(a.wrapper.subject) } : null,
  };
}
