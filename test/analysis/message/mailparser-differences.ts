import type { Field } from './mailparser-views.ts';

/**
 * Every place where the analysis core reads a corpus message (or one of its mutations) differently from
 * mailparser's simpleParser, and why ours is right. Keyed by corpus path, `~mutation` for a mutated copy
 * (test/analysis/message/mailparser-differential.test.ts says which), then by field. The test fails on a
 * difference missing here and on an entry that no longer differs, so this list is exactly the differences.
 */

/** Why a difference is kept: what we do, and what mailparser does instead. */
const NOT_A_FIELD =
  'A line that is no header field (its colon or its indentation destroyed, cut mid-name, or no blank line before the body) ends the header section and starts the body (docs/extraction.md). mailsplit reads on to the next blank line, taking body lines for header lines and, in a part, hiding the start of its text.';
const LATIN1_HEADER =
  'Header bytes that are not UTF-8 are read as latin1: lossless (the bytes can be re-decoded, e.g. with the body\'s charset). mailparser replaces them with U+FFFD and the bytes are gone.';
const DAMAGED_ADDRESS =
  'An address whose domain is not a host name (a control, 8-bit or punctuation byte in it) is no address, so no tenant or sending domain is taken from it. mailparser returns it as it is, or silently drops the bad byte and so names another domain.';
const FLOWED_FINAL_BREAK =
  'format=flowed text keeps its final line break, as every other text does. mailparser\'s flowed decoder (libmime decodeFlowed) drops it.';
const EMPTY_PART =
  'RFC 2046 §5.1.1: the line break before a boundary belongs to the boundary, so the text part is empty (no text). mailsplit gives the part a stray "\\n".';
const EMPTY_SUBJECT = 'The Subject field is there and empty: ours says "" (an empty subject), mailparser says there is none.';
const INVALID_CONTENT_TYPE =
  'A Content-Type that is not type/subtype (a damaged byte in the type) reads as text/plain (RFC 2045 §5.2). mailparser keeps the damaged type and so treats the part as an attachment, or guesses the structure from a prefix.';
const UNINDENTED_BOUNDARY =
  'A boundary parameter folded without indentation (the next line starts with boundary=) is recovered, as mail clients do, and the parts are read. mailparser sees a multipart without a boundary and no text.';
const HEADERS_PART_SPELLING =
  'The misspelled text/rfc822-header (seen in real ARF reports) is read as an attached header section, as docs/extraction.md says. mailparser lists it as an attachment of an unknown type.';
const MISLABELLED_CHARSET =
  'EUC-JP bytes under an ISO-2022-JP label: the WHATWG decoder marks the bytes it cannot decode with U+FFFD. mailparser outputs other, wrong characters. Neither can show the text; ours does not invent it.';
const UNKNOWN_WORD_CHARSET =
  'An encoded word with a damaged charset name is decoded as UTF-8 (right for the usual mislabelled UTF-8, docs/extraction.md). mailparser leaves the word encoded.';
const STRICT_DATE =
  'The Date is read with the Received parser\'s date reader: a date or nothing. V8\'s Date.parse, which mailparser uses, skips a junk byte before the weekday and reads a zone-less date in the machine\'s time zone.';

export const KNOWN_DIFFERENCES: Readonly<Record<string, Partial<Record<Field, string>>>> = {
  'arf/sisimai/arf-12.eml': { attached: HEADERS_PART_SPELLING },
  'dsn/sisimai/lhost-apachejames-01.eml': { text: UNINDENTED_BOUNDARY },
  'ham/spamassassin/cjk-big5-base64.1.eml': { subject: LATIN1_HEADER },
  'ham/spamassassin/cjk-gb2312.1.eml': { subject: LATIN1_HEADER },
  'ham/spamassassin/cjk-iso-2022-jp.2.eml': { text: MISLABELLED_CHARSET },
  'mime/postal-mime/calendar-event.eml': { text: FLOWED_FINAL_BREAK },
  'spam/rspamd/empty_part.eml': { text: EMPTY_PART },
  'spam/spamassassin/badctype1.eml': { text: INVALID_CONTENT_TYPE },
  'spam/spamassassin/badmime2.txt.eml': { subject: EMPTY_SUBJECT },
  'spam/spamassassin/extracttext-gtube_pdf.eml': { text: EMPTY_PART },
  'spam/spamassassin/gtube.eml': { text: FLOWED_FINAL_BREAK },
  'spam/spamassassin/gtubedcc.eml': { text: FLOWED_FINAL_BREAK },
  'spam/spamassassin/gtubedcc_crlf.eml': { text: FLOWED_FINAL_BREAK },
  'spam/spamassassin/pyzor.eml': { text: FLOWED_FINAL_BREAK },
  'x-arf/abuseio/cleanmx-Cleanmx_Example_1.eml': { text: NOT_A_FIELD },
  'x-arf/abuseio/cleanmx-Cleanmx_Example_3.eml': { text: NOT_A_FIELD },
  'arf/abuseio/feedback-loop-AOL_example_1.eml~truncate': { text: NOT_A_FIELD },
  'arf/abuseio/feedback-loop-AOL_example_2.eml~byte flips': { attached: LATIN1_HEADER },
  'arf/abuseio/feedback-loop-Fastmail_example_2.eml~byte flips': { text: INVALID_CONTENT_TYPE },
  'arf/abuseio/spamexperts-8.eml~byte flips': { subject: NOT_A_FIELD, from: NOT_A_FIELD, messageId: NOT_A_FIELD, date: NOT_A_FIELD, text: NOT_A_FIELD, attached: NOT_A_FIELD },
  'arf/sisimai/arf-12.eml~many tenant headers and signatures': { attached: HEADERS_PART_SPELLING },
  'arf/sisimai/arf-24.eml~byte flips': { messageId: LATIN1_HEADER, text: NOT_A_FIELD },
  'auto-reply/sisimai/rfc3834-06.eml~byte flips': { messageId: LATIN1_HEADER, date: STRICT_DATE },
  'dsn/sisimai/lhost-exchange2003-02.eml~byte flips': { subject: LATIN1_HEADER, messageId: LATIN1_HEADER },
  'dsn/sisimai/lhost-mcafee-01.eml~byte flips': { text: NOT_A_FIELD },
  'dsn/sisimai/lhost-postfix-01.eml~byte flips': { from: DAMAGED_ADDRESS, text: INVALID_CONTENT_TYPE },
  'dsn/sisimai/lhost-trendmicro-01.eml~byte flips': { subject: UNKNOWN_WORD_CHARSET },
  'ham/spamassassin/cjk-big5-base64.1.eml~huge folded header': { subject: LATIN1_HEADER },
  'ham/spamassassin/cjk-gb2312.1.eml~10,000 Received lines': { subject: LATIN1_HEADER },
  'ham/spamassassin/cjk-iso-2022-jp.2.eml~many tenant headers and signatures': { text: MISLABELLED_CHARSET },
  'ham/spamassassin/crlf-endings.eml~splice two messages': { text: NOT_A_FIELD },
  'ham/spamassassin/spf6-received-spf-crlf2.eml~byte flips': { subject: NOT_A_FIELD, text: NOT_A_FIELD },
  'spam/rspamd/advance_fee_fraud.eml~splice two messages': { text: FLOWED_FINAL_BREAK },
  'spam/rspamd/phish_sender.eml~byte flips': { from: DAMAGED_ADDRESS, messageId: LATIN1_HEADER, text: NOT_A_FIELD },
  'spam/spamassassin/005.eml~byte flips': { subject: NOT_A_FIELD, from: NOT_A_FIELD, text: NOT_A_FIELD },
  'spam/spamassassin/013.eml~byte flips': { from: DAMAGED_ADDRESS },
  'spam/spamassassin/badctype2.eml~truncate': { subject: EMPTY_SUBJECT },
  'spam/spamassassin/badmime.txt.eml~byte flips': { from: LATIN1_HEADER },
  'spam/spamassassin/badmime2.txt.eml~huge folded header': { subject: EMPTY_SUBJECT },
  'spam/spamassassin/decodeshorturl-params.eml~byte flips': { subject: LATIN1_HEADER, from: LATIN1_HEADER, messageId: LATIN1_HEADER },
  'spam/spamassassin/extracttext-gtube_pdf.eml~huge folded header': { text: EMPTY_PART },
  'spam/spamassassin/gtubedcc_crlf.eml~byte flips': { from: DAMAGED_ADDRESS, text: FLOWED_FINAL_BREAK },
  'spam/spamassassin/pyzor.eml~junk Received values': { text: FLOWED_FINAL_BREAK },
  'spam/spamassassin/urilocalbl_net.eml~splice two messages': { date: NOT_A_FIELD, text: NOT_A_FIELD },
  'spam/spamassassin/utf16.eml~truncate': { text: NOT_A_FIELD },
  'x-arf/abuseio/cleanmx-Cleanmx_Example_1.eml~10,000 Received lines': { text: NOT_A_FIELD },
};
