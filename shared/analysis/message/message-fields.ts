import { headerValue } from './header-section.ts';
import { decodeEncodedWords } from './encoded-words.ts';
import { parseReceivedDate } from '../received/received-date.ts';
import type { HeaderField } from './types.ts';

/**
 * The reported message's own Subject, Message-ID and Date, read the one way the core reads them (the
 * report, the CLI, campaign features). Checked against mailparser over the corpus and its mutations in
 * test/analysis/message/mailparser-differential.test.ts.
 */

/** Longest Subject kept (characters of the raw value, before RFC 2047 decoding). */
const MAX_SUBJECT = 2000;
/** RFC 5322's line limit: a longer Message-ID is cut there. */
const MAX_MESSAGE_ID = 998;

/** The Subject, RFC 2047-decoded; '' when the field is there but empty, null when there is none. */
export function subjectOf(headers: readonly HeaderField[]): string | null {
  const v = headerValue(headers, 'subject');
  return v === null ? null : decodeEncodedWords(v.slice(0, MAX_SUBJECT));
}

/**
 * The Message-ID in angle brackets (added when the sender left them out, as mailparser does, so that
 * `abc@x` and `<abc@x>` are one message), or null when absent or blank.
 */
export function messageIdOf(headers: readonly HeaderField[]): string | null {
  const v = headerValue(headers, 'message-id')?.trim().slice(0, MAX_MESSAGE_ID);
  if (!v) return null;
  const opened = v.startsWith('<') ? v : `<${v}`;
  return opened.endsWith('>') ? opened : `${opened}>`;
}

/**
 * The Date as ISO 8601, or null when it does not read as a date. The Received parser's date reader, not
 * `Date.parse`: V8 reads a zone-less date in the machine's local time and reads trailing junk into a date.
 */
export function dateOf(headers: readonly HeaderField[]): string | null {
  const v = headerValue(headers, 'date');
  return v === null ? null : parseReceivedDate(v.slice(0, 200).split(/\s+/));
}
