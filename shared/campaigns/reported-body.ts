import { readMessage, firstTextPart, isBodyPart, type ExtractContext, type ReadMessage } from '../analysis/message/message-reader.ts';
import { bodyText } from '../analysis/message/body-text.ts';
import { DEFAULT_EXTRACTION_LIMITS } from '../analysis/message/limits.ts';
import { htmlToText } from '../analysis/message/html-text.ts';
import { headerValue } from '../analysis/message/header-section.ts';
import type { ReportedMessage } from '../analysis/message/types.ts';

/**
 * The body of the REPORTED message (the spam), never the reporter's wrapper: the text of its first
 * text part through the analysis core's own MIME walk and body-text accessor (charset, transfer
 * encoding, format=flowed), or its HTML part as text; same bounds as extraction.
 */

/** Decoded bytes of a body read for content features; spam past this is judged on its start. */
export const BODY_BYTES = 64 * 1024;

export interface ReportedBody {
  /** Visible text: the text/plain part, or the HTML part turned into text. '' when none. */
  text: string;
  /** The HTML body when there is one: its href links are read too. */
  html: string | null;
  /** The recipient as the reported message names it (To), to fold personalisation out. */
  to: string | null;
}

function context(): ExtractContext {
  // The reported message was already walked once by extraction; this walk is zero-copy and capped.
  return { limits: { ...DEFAULT_EXTRACTION_LIMITS, mimeParts: 60, mimeDepth: 6 }, budget: { parts: 0, truncated: [] } };
}

/** Text/plain and text/html bodies of a message (first of each, attachments skipped). */
function bodiesOf(msg: ReadMessage): { plain: string | null; html: string | null } {
  const plainPart = firstTextPart(msg);
  const htmlPart = msg.parts.find((p) => p.contentType === 'text/html' && isBodyPart(p)) ?? null;
  return {
    plain: plainPart ? bodyText(plainPart, BODY_BYTES) : null,
    html: htmlPart ? bodyText(htmlPart, BODY_BYTES) : null,
  };
}

/**
 * Which body to read: the plain text unless it is a stub beside a fuller HTML part ("view this mail
 * in your browser"), so a text-only and an HTML-only copy of one campaign read alike.
 */
function pick(plain: string | null, html: string | null): { text: string; html: string | null } {
  const fromHtml = html === null ? null : htmlToText(html);
  if (plain !== null && (fromHtml === null || plain.trim().length * 2 >= fromHtml.trim().length)) return { text: plain, html };
  return { text: fromHtml ?? '', html };
}

/**
 * The reported message's body. Inline forwards ("---------- Forwarded message ---------") carry the
 * spam's body in the wrapper's text after the forward block: that part of the wrapper is read, never
 * the reporter's own words above the block.
 */
export function reportedBody(message: ReportedMessage, submissionRaw: Buffer): ReportedBody {
  const to = headerValue(message.headers, 'to');
  if (message.source === 'rfc822-headers' || message.raw.length === 0) return { text: '', html: null, to };
  if (message.source === 'inline-forward') return inlineBody(message, submissionRaw, to);
  const msg = readMessage(message.raw, 0, context(), 'reported message');
  const { plain, html } = bodiesOf(msg);
  return { ...pick(plain, html), to };
}

function inlineBody(message: ReportedMessage, submissionRaw: Buffer, to: string | null): ReportedBody {
  const wrapper = readMessage(submissionRaw, 0, context(), 'submission');
  const { plain, html } = bodiesOf(wrapper);
  const { text } = pick(plain, html);
  const normal = text.replace(/\r\n?/g, '\n');
  const block = message.raw.toString('utf8');
  const at = block.length > 0 ? normal.indexOf(block) : -1;
  // A pasted header block ends where its body starts; a marker block ends before the forwarded text.
  const after = at < 0 ? '' : normal.slice(at + block.length);
  return { text: after, html: null, to };
}
