import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../shared/logger.ts';
import { buildWhere, SUBMISSION_COLUMNS, SUMMARY_COLUMNS, summaryView, type SummaryRow, type ReportSummary } from './report-query.ts';
import type { ReportFilters } from './schemas.ts';

const FETCH_ROWS = 1000;

const CSV_FIELDS: (keyof ReportSummary)[] = [
  'id', 'receivedAt', 'channel', 'kind', 'direction', 'relayIp', 'originatingIp', 'tenant', 'tenantConfidence',
  'feedbackType', 'from', 'fromDomain', 'subject', 'messageId', 'category', 'description', 'campaignId',
];

/**
 * A formula, after the blanks a spreadsheet may skip before it reads one: ASCII whitespace (TAB, LF, CR, VT, FF,
 * space), NBSP and every other Unicode space (`\s`), NEL, and the zero-width characters that
 * render as nothing (ZWSP, ZWNJ, ZWJ, word joiner, BOM, Mongolian vowel separator).
 */
const FORMULA = /^[\s\u0085\u180e\u200b-\u200d\u2060\ufeff]*[=+\-@]/;

/**
 * One CSV cell. Subjects and addresses are attacker-written: a cell whose first non-blank
 * character is = + - @ (after any leading blanks, which some spreadsheets skip), or that starts
 * with a TAB or CR, is prefixed with ' so a spreadsheet shows it as text instead of evaluating it
 * (OWASP "CSV injection").
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (FORMULA.test(s) || /^[\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function csvLine(r: ReportSummary): string {
  return `${CSV_FIELDS.map((f) => csvCell(r[f])).join(',')}\r\n`;
}

/**
 * Streams every matching report through a server-side cursor (DECLARE … FETCH), so memory stays
 * at one batch whatever the result size; waits for the socket to drain between batches and stops
 * (rolling back the read transaction) when the client goes away.
 */
export async function streamExport(ds: DataSource, log: Logger, f: ReportFilters, format: 'csv' | 'ndjson', res: Response): Promise<void> {
  const where = buildWhere(f);
  const runner = ds.createQueryRunner();
  let closed = false;
  res.on('close', () => (closed = true));
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    await runner.query(
      `DECLARE report_export NO SCROLL CURSOR FOR
         SELECT ${SUMMARY_COLUMNS}, ${SUBMISSION_COLUMNS} FROM reports WHERE ${where.sql} ORDER BY received_at DESC, id DESC`,
      where.params,
    );
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    res.status(200);
    res.attachment(`reports-${stamp}.${format}`); // before type(): attachment() guesses a type from the name
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
    if (format === 'csv') res.write(`${CSV_FIELDS.join(',')}\r\n`);
    while (!closed) {
      const rows: SummaryRow[] = await runner.query(`FETCH ${FETCH_ROWS} FROM report_export`);
      if (rows.length === 0) break;
      const chunk = rows.map((r) => (format === 'csv' ? csvLine(summaryView(r)) : `${JSON.stringify(summaryView(r))}\n`)).join('');
      if (!res.write(chunk)) await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
    await runner.commitTransaction();
    res.end();
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    if (res.headersSent) {
      // Mid-stream failure: cutting the connection is the only honest signal left.
      log.error({ err }, 'export failed mid-stream');
      res.destroy();
      return;
    }
    throw err;
  } finally {
    await runner.release();
  }
}
