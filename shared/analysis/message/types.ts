import type { ArfFields, SubmissionKind } from '../types.ts';

/** One header field: name lower-cased, value unfolded (CRLF+WSP → single space), bounded length. */
export interface HeaderField {
  name: string;
  value: string;
}

/** Where a reported message was found inside a submission. */
export type MessageSource =
  | 'self' // the submission is the spam itself (direct / redirect / trap)
  | 'attachment' // a message/rfc822 part (forward as attachment, ARF third part, JMRP)
  | 'rfc822-headers' // a text/rfc822-headers part (ARF with headers only)
  | 'inline-forward' // a "---------- Forwarded message ---------" block in a text body
  | 'xarf-attachment'; // the evidence part of an X-ARF report

/** A reported message, cut out of the submission: its header section and its own bytes. */
export interface ReportedMessage {
  source: MessageSource;
  /** The reported message's header section, top first (Received fields in order, newest first). */
  headers: HeaderField[];
  /** The reported message's bytes (headers + body as found), for DKIM verification; bounded. */
  raw: Buffer;
  /** ARF / X-ARF report fields that describe this message, when the submission is a report. */
  arf: ArfFields | null;
  /** Notes for the evidence trail from extraction (e.g. "unwrapped nested forward at depth 2"). */
  notes: string[];
}

/** What extraction found in one submission. */
export interface Extraction {
  kind: SubmissionKind;
  messages: ReportedMessage[];
  /** Why no message (dsn / auto-reply / empty), or null. */
  reason: string | null;
  /** The wrapper (the reporter's own message) when the reported message is inside one. */
  wrapper: { from: string | null; subject: string | null; headers: HeaderField[] } | null;
  /** Limits hit while reading (header bytes, MIME depth, parts), for the evidence trail. */
  truncated: string[];
}
