import { REDACTED_ADDRESS } from './redact.ts';

/** One report in a digest (from the `reports` row). */
export interface DigestItem {
  reportId: string;
  receivedAt: Date;
  originatingIp: string | null;
  relayIp: string | null;
  feedbackType: string | null;
  tenantConfidence: string | null;
  subject: string | null;
  messageId: string | null;
  fromDomain: string | null;
  /** Held back earlier by the daily cap or a pause. */
  held: boolean;
}

export interface DigestInput {
  tenantName: string;
  items: DigestItem[];
  /** The tenant response page for this digest. */
  responseUrl: string;
  since: Date | null;
  until: Date;
  maxPerDay: number;
}

export interface ComposedDigest {
  subject: string;
  text: string;
  csv: string;
  heldCount: number;
}

const ADDRESS = /[^\s<>@"(),;:]{1,64}@[A-Za-z0-9.-]{1,255}/g;

/** Reported subjects may name their recipient: every address in them is replaced. */
export function redactSubject(s: string | null): string {
  return (s ?? '').replace(ADDRESS, REDACTED_ADDRESS).replace(/[\r\n\t]+/g, ' ').slice(0, 200);
}

/**
 * A CSV cell: quoted, and a leading = + - @ (or tab/CR) prefixed with ' so a spreadsheet shows it
 * as text instead of evaluating it (OWASP "CSV injection"); subjects are attacker-written.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

const CSV_COLUMNS = ['report_id', 'received_at', 'originating_ip', 'relay_ip', 'feedback_type', 'tenant_confidence', 'subject', 'message_id', 'from_domain', 'held_back'];

export function digestCsv(items: DigestItem[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const i of items) {
    lines.push([i.reportId, i.receivedAt, i.originatingIp, i.relayIp, i.feedbackType, i.tenantConfidence, redactSubject(i.subject), i.messageId, i.fromDomain, i.held ? 'yes' : 'no'].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Count per value, most frequent first. */
function top(values: (string | null)[], n: number): [string, number][] {
  const m = new Map<string, number>();
  for (const v of values) if (v) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}

/** The digest mail's text and CSV: counts, top IPs, subjects, the response link, held-back reports. */
export function composeDigest(d: DigestInput): ComposedDigest {
  const heldCount = d.items.filter((i) => i.held).length;
  const n = d.items.length;
  const lines = [
    `Hello ${d.tenantName},`,
    '',
    `we received ${n} abuse report${n === 1 ? '' : 's'} about mail sent from your account${d.since ? ` since ${d.since.toISOString()}` : ''}.`,
  ];
  if (heldCount) lines.push('', `${heldCount} of them were held back earlier: notifications to you are limited to ${d.maxPerDay} mails a day (or were paused), so they are listed here instead.`);
  lines.push('', 'Top sending IPs:', ...top(d.items.map((i) => i.originatingIp ?? i.relayIp), 10).map(([ip, c]) => `  ${ip}  ${c}`));
  lines.push('', 'Most reported subjects:', ...top(d.items.map((i) => redactSubject(i.subject) || '(no subject)'), 10).map(([s, c]) => `  ${c} × ${s}`));
  lines.push('', 'Every report is in the attached CSV (reports.csv).', '', `Tell us what you did about them: ${d.responseUrl}`, '(the link works for 30 days).', '');
  return {
    subject: `Abuse digest for ${d.tenantName}: ${n} report${n === 1 ? '' : 's'}${heldCount ? ` (${heldCount} held back)` : ''}`,
    text: lines.join('\n'),
    csv: digestCsv(d.items),
    heldCount,
  };
}
