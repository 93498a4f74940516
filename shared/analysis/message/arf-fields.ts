import { isIP } from 'node:net';
import { readHeaderSection, headerValue, headerValues } from './header-section.ts';
import type { ArfFields } from '../types.ts';
import type { ExtractionLimits } from './limits.ts';

/** An empty ArfFields, filled in by the readers below. */
export function emptyArfFields(): ArfFields {
  return {
    feedbackType: null,
    userAgent: null,
    version: null,
    sourceIp: null,
    sourcePort: null,
    originalMailFrom: null,
    originalRcptTo: [],
    arrivalDate: null,
    reportedDomain: [],
    reportedUri: [],
    incidents: null,
  };
}

/** `[192.0.2.1]`, ` 2001:db8::1 `, `IPv6:2001:db8::1` → the bare address when it is one, else null. */
export function cleanIp(value: string | null | undefined): string | null {
  if (!value) return null;
  let v = value.trim();
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1).trim();
  if (v.toLowerCase().startsWith('ipv6:')) v = v.slice(5);
  return isIP(v) ? v : null;
}

function cleanInt(value: string | null): number | null {
  if (!value) return null;
  const n = Number.parseInt(value.trim(), 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** `<user@example.com>` → `user@example.com` (ARF allows both forms); `<>` → null. */
function cleanAddress(value: string | null): string | null {
  let v = value?.trim() ?? '';
  if (v.startsWith('<') && v.endsWith('>')) v = v.slice(1, -1).trim();
  return v ? v : null;
}

function cleanText(value: string | null): string | null {
  const v = value?.trim();
  return v ? v : null;
}

/**
 * Read a message/feedback-report body (RFC 5965 §3.1: header-like fields). Names are matched
 * case-insensitively (`Source-Ip` in some Return Path reports); historic `Received-Date` stands in
 * for `Arrival-Date`. Returns the fields and notes for what did not parse.
 */
export function parseArfReport(body: Buffer, limits: ExtractionLimits): { arf: ArfFields; notes: string[] } {
  const notes: string[] = [];
  const hs = readHeaderSection(body.subarray(0, limits.inlineScanBytes), limits);
  const h = hs.headers;
  const arf = emptyArfFields();
  arf.feedbackType = cleanText(headerValue(h, 'feedback-type'))?.toLowerCase() ?? null;
  arf.userAgent = cleanText(headerValue(h, 'user-agent'));
  arf.version = cleanText(headerValue(h, 'version'));
  const rawIp = headerValue(h, 'source-ip');
  arf.sourceIp = cleanIp(rawIp);
  if (rawIp && !arf.sourceIp) notes.push(`ARF Source-IP "${rawIp.slice(0, 80)}" is not an IP address: ignored`);
  arf.sourcePort = cleanInt(headerValue(h, 'source-port'));
  arf.originalMailFrom = cleanAddress(headerValue(h, 'original-mail-from'));
  arf.originalRcptTo = headerValues(h, 'original-rcpt-to').map(cleanAddress).filter((v): v is string => v !== null);
  arf.arrivalDate = cleanText(headerValue(h, 'arrival-date')) ?? cleanText(headerValue(h, 'received-date'));
  arf.reportedDomain = headerValues(h, 'reported-domain').map((v) => v.trim()).filter(Boolean);
  arf.reportedUri = headerValues(h, 'reported-uri').map((v) => v.trim()).filter(Boolean);
  arf.incidents = cleanInt(headerValue(h, 'incidents'));
  if (!arf.feedbackType) notes.push('ARF report part has no Feedback-Type');
  return { arf, notes };
}
