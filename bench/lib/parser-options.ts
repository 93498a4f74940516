import type { MailParserOptions } from 'mailparser';

/**
 * simpleParser's lightest options (no HTML↔text conversion, no link detection): the baseline of both
 * bench:analysis and bench:e2e, so neither ratio is flattered by making the baseline do extra work
 * the pipeline does not do.
 */
export const BASELINE_PARSER_OPTIONS: MailParserOptions = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true };
