import { simpleParser, type ParsedMail } from 'mailparser';

/** What the report page shows of a reported message: text only, never live HTML. */
export interface MessageView {
  headers: string;
  text: string | null;
  htmlSource: string | null;
  attachments: { filename: string | null; contentType: string; size: number }[];
  error: string | null;
}

const MAX_SHOWN = 200_000;

/** The header section as it was written (up to the first empty line), bounded. */
function headerSection(raw: Buffer): string {
  const text = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return (end === -1 ? text : text.slice(0, end)).slice(0, 64 * 1024);
}

function clip(s: string | null | undefined): string | null {
  if (!s) return null;
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}\n… (truncated)` : s;
}

/**
 * Finds the reported message inside a submission: for a forward or ARF report it is the
 * message/rfc822 attachment at the report's index (else the only one), otherwise the submission
 * itself. Parse errors become `error`, never a failed page.
 */
export async function messageView(raw: Buffer, kind: string, idx: number): Promise<MessageView> {
  try {
    const opts = { skipImageLinks: true, skipTextToHtml: true, skipHtmlToText: true, maxHtmlLengthToParse: 2 * 1024 * 1024 } as const;
    let source = raw;
    let mail: ParsedMail = await simpleParser(raw, opts);
    if (kind !== 'direct') {
      const inner = mail.attachments.filter((a) => a.contentType === 'message/rfc822');
      const chosen = inner[idx] ?? (inner.length === 1 ? inner[0] : undefined);
      if (chosen) {
        source = chosen.content;
        mail = await simpleParser(chosen.content, opts);
      }
    }
    return {
      headers: headerSection(source),
      text: clip(mail.text),
      htmlSource: clip(typeof mail.html === 'string' ? mail.html : null),
      attachments: mail.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
      error: null,
    };
  } catch (err) {
    return { headers: headerSection(raw), text: null, htmlSource: null, attachments: [], error: (err as Error).message };
  }
}
