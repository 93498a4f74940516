import { csvCell } from '../analyst/report-export.ts';
import type { DailyRow } from '../../shared/sender-data/daily-rows.ts';

export const CSV_HEADER = ['ip', 'day_utc', 'delivered', 'complaints', 'complaint_rate', 'filter_result', 'listed',
  'complaints_anonymous', 'complaints_verified', 'complaints_platform', 'complaints_feed', 'trap_hits', 'sample_helo', 'sample_mail_from'];

/**
 * The owner's data as CSV (RFC 4180, CRLF). HELO and MAIL FROM are written by whoever connected:
 * cells are neutralised against formula injection by the analyst export's `csvCell`.
 */
export function dataCsv(rows: DailyRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    lines.push([r.ip, r.day, r.delivered, r.complaints, r.rate === null ? null : r.rate.toFixed(6), r.colour, r.listed ? 'yes' : 'no',
      r.anonymous, r.verified, r.platform, r.feed, r.trapHits, r.helo, r.mailFrom].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
