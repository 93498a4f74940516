import { cleanIp, emptyArfFields } from './arf-fields.ts';
import type { ArfFields } from '../types.ts';

/** Source-Type values (X-ARF 0.1/0.2) that mean `Source` is an IP address. */
const IP_SOURCE_TYPES = new Set(['ipv4', 'ipv6', 'ip-address', 'ip', 'ipaddress']);
const URI_SOURCE_TYPES = new Set(['uri', 'url']);
/** Keys mapped onto ArfFields members; every other key is kept in `extra`. */
const MAPPED = new Set(['user-agent', 'version', 'date', 'port', 'source-port', 'domain']);

/** Does this text look like an X-ARF 0.1/0.2 report part (a `Report-Type:` line near the top)? */
export function looksLikeXarfYaml(text: string): boolean {
  const head = text.slice(0, 4096).toLowerCase();
  return head.startsWith('report-type:') || head.includes('\nreport-type:');
}

/**
 * Read an X-ARF 0.1/0.2 report part: YAML written as one `Key: value` per line (nested YAML is not
 * used by the schemas in the wild, so a line reader is enough and cannot be made to recurse).
 */
export function parseXarfYaml(text: string): ArfFields {
  const fields = new Map<string, { key: string; value: string }>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith(' ') || line.startsWith('\t') || line.startsWith('#')) continue;
    const key = line.slice(0, colon).trim();
    if (!key || key.length > 64) continue;
    let value = line.slice(colon + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!)) value = value.slice(1, -1);
    const lower = key.toLowerCase();
    if (!fields.has(lower)) fields.set(lower, { key, value: value.slice(0, 2000) });
  }
  const get = (k: string): string | null => fields.get(k)?.value || null;
  const arf = emptyArfFields();
  const category = get('category');
  const reportType = get('report-type');
  arf.feedbackType = (category ?? reportType)?.toLowerCase() ?? null;
  arf.userAgent = get('user-agent');
  arf.version = get('version');
  arf.arrivalDate = get('date');
  const port = Number.parseInt(get('port') ?? get('source-port') ?? '', 10);
  arf.sourcePort = Number.isFinite(port) && port >= 0 ? port : null;
  const sourceType = (get('source-type') ?? '').toLowerCase();
  const source = get('source');
  if (IP_SOURCE_TYPES.has(sourceType)) arf.sourceIp = cleanIp(source);
  else if (URI_SOURCE_TYPES.has(sourceType) && source) arf.reportedUri.push(source);
  else if (!sourceType) arf.sourceIp = cleanIp(source);
  const domain = get('domain');
  if (domain) arf.reportedDomain.push(domain);
  const extra: Record<string, string> = {};
  for (const [lower, { key, value }] of fields) if (!MAPPED.has(lower) && value) extra[key] = value;
  arf.extra = extra;
  return arf;
}

function str(v: unknown): string | null {
  if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 2000);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/**
 * Read an X-ARF v3/v4 JSON report (`{"Version":"4","ReporterInfo":{…},"Report":{"ReportClass",
 * "ReportType","SourceIp",…}}`). Returns null when the text is not such a document.
 */
export function parseXarfJson(text: string): ArfFields | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object') return null;
  const top = doc as Record<string, unknown>;
  const report = top.Report;
  if (!report || typeof report !== 'object' || Array.isArray(report)) return null;
  const r = report as Record<string, unknown>;
  const arf = emptyArfFields();
  const reportClass = str(r.ReportClass);
  const reportType = str(r.ReportType);
  arf.feedbackType = (reportType ?? reportClass)?.toLowerCase() ?? null;
  arf.version = str(top.Version);
  const reporter = top.ReporterInfo && typeof top.ReporterInfo === 'object' ? (top.ReporterInfo as Record<string, unknown>) : {};
  arf.userAgent = str(reporter.ReporterOrg) ?? str(reporter.ReporterOrgDomain);
  arf.arrivalDate = str(r.Date);
  arf.sourceIp = cleanIp(str(r.SourceIp) ?? str(r.Source));
  const port = Number.parseInt(str(r.SourcePort) ?? '', 10);
  arf.sourcePort = Number.isFinite(port) && port >= 0 ? port : null;
  const domain = str(r.Domain) ?? str(r.SourceDomain);
  if (domain) arf.reportedDomain.push(domain);
  const url = str(r.Url) ?? str(r.SourceUrl);
  if (url) arf.reportedUri.push(url);
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    const s = str(v);
    if (s) extra[k] = s;
  }
  const org = str(reporter.ReporterOrgEmail);
  if (org) extra.ReporterOrgEmail = org;
  arf.extra = extra;
  return arf;
}
