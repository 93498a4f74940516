import { translator } from '../web/i18n/catalog.ts';
import type { Language } from '../web/i18n/languages.ts';

/**
 * Words the report form shares with its validation: the public pages' words themselves live in
 * api/web/i18n/locales/<language>/report.json (namespace `report`).
 */

/** The categories a reporter can choose (the SMTP side adds `abuse` and `feedback-loop`). */
export const REPORT_CATEGORIES = ['spam', 'phishing', 'malware', 'scam', 'other'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export function isReportCategory(value: unknown): value is ReportCategory {
  return typeof value === 'string' && (REPORT_CATEGORIES as readonly string[]).includes(value);
}

/** A category as people read it ("Scam / fraud"); an unknown value is shown as it is. */
export function categoryLabel(category: string, lang: Language): string {
  return isReportCategory(category) ? translator(lang, 'report')(`categories.${category}`) : category;
}

/** A size for people: 26214400 → "25 MB" (binary megabytes, which is what mail clients call MB); 1.5 MB → "1,5 MB" in Italian. */
export function sizeInWords(bytes: number, lang: Language): string {
  const t = translator(lang, 'report');
  const MB = 1024 * 1024;
  const n = (x: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1, useGrouping: false }).format(x);
  if (bytes >= MB) return t('size.mb', { n: n(bytes / MB) });
  if (bytes >= 1024) return t('size.kb', { n: n(Math.floor(bytes / 1024)) });
  return t('size.bytes', { count: bytes });
}
