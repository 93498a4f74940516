import { readFileSync } from 'node:fs';

/** The reporter and the spam's recipient in the forwarded fixture: neither may ever leave us. */
export const REPORTER = 'alice.reporter@reporter.example';
export const RECIPIENT = 'victim.person@example.net';

/**
 * examples/outbound-contoso.eml (mail a contoso user sent out through the platform), delivered to
 * RECIPIENT, who forwards it as an attachment from REPORTER. The recipient's address is in To,
 * Received `for`, Delivered-To, the body and an unsubscribe link (URL-encoded).
 */
export function forwardedSpam(opts: { extraBody?: string } = {}): Buffer {
  const spam = readFileSync(new URL('../../examples/outbound-contoso.eml', import.meta.url), 'utf8')
    .replace(/^Comments:.*\n/m, '')
    .replace('for <victim@example.net>', `for <${RECIPIENT}>`)
    .replace('To: victim@example.net', `Delivered-To: ${RECIPIENT}\nTo: "Victim Person" <${RECIPIENT}>`)
    .replace('Buy now.', `Hello ${RECIPIENT}, buy now.\nUnsubscribe: https://contoso.example/u?e=${RECIPIENT.replace('@', '%40')}\nReply to ${REPORTER.toUpperCase()} if you like.${opts.extraBody ?? ''}`);
  return Buffer.from(
    [
      `From: Alice Reporter <${REPORTER}>`,
      'To: spam@reports.localhost',
      'Subject: Fwd: Cheap watches',
      'Date: Tue, 25 Nov 2025 11:00:00 +0000',
      'Message-ID: <fwd-1@reporter.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'This is spam, please act.',
      '--b1',
      'Content-Type: message/rfc822',
      '',
      spam.replace(/\r?\n/g, '\r\n'),
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

/** Asserts-by-return: the first of `addresses` found in `bytes` (case-insensitive, plain or %40/=40), or null. */
export function leakedAddress(bytes: Buffer, addresses: string[]): string | null {
  const s = bytes.toString('latin1').toLowerCase();
  for (const a of addresses) {
    const [l, d] = a.toLowerCase().split('@');
    for (const form of [`${l}@${d}`, `${l}%40${d}`, `${l}=40${d}`]) if (s.includes(form)) return form;
  }
  return null;
}
