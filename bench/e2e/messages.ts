import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CORPUS = fileURLToPath(new URL('../../test/fixtures/corpus/', import.meta.url));

/** One message of the load mix; `kind` says where it came from (for the report). */
export interface MixMessage {
  kind: 'corpus' | 'attached-forward' | 'inline-forward' | 'big';
  raw: Buffer;
}

function corpus(folder: string): Buffer[] {
  return readdirSync(join(CORPUS, folder)).filter((f) => f.endsWith('.eml')).sort().map((f) => readFileSync(join(CORPUS, folder, f)));
}

/** A recipient forwarding spam as an attachment, the way mail clients do ("Forward as attachment"). */
function attachedForward(inner: Buffer, n: number): Buffer {
  const boundary = `fwd-${n}-${randomBytes(6).toString('hex')}`;
  return Buffer.concat([
    Buffer.from([
      `From: Pat Recipient <pat${n % 50}@customer.example>`, 'To: spam@reports.example', `Subject: Fwd: spam I got (${n})`,
      `Date: ${new Date().toUTCString()}`, `Message-ID: <fwd-${n}-${randomBytes(4).toString('hex')}@customer.example>`,
      'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
      `--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', 'Please look at the attached spam.', '',
      `--${boundary}`, 'Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="spam.eml"', '', '',
    ].join('\r\n')),
    inner,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

/** An inline forward: the spam's headers and body quoted in the text, as Gmail's "Forward" does. */
function inlineForward(inner: Buffer, n: number): Buffer {
  const text = inner.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const headers = (split > 0 ? text.slice(0, split) : text).split(/\r?\n/).filter((l) => /^(From|To|Subject|Date|Message-ID):/i.test(l));
  const body = split > 0 ? text.slice(split).trim().slice(0, 4000) : '';
  return Buffer.from([
    `From: Sam Recipient <sam${n % 50}@customer.example>`, 'To: spam@reports.example', `Subject: Fwd: look at this (${n})`,
    `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '',
    'Spam again, see below.', '', '---------- Forwarded message ---------', ...headers, '', body, '',
  ].join('\r\n'), 'latin1');
}

/** A forward of a spam carrying a ~25 MB attachment: the worst case for worker memory. */
export function bigMessage(bytes = 25_000_000): Buffer {
  const b64 = randomBytes(Math.floor((bytes - 2000) * 0.74)).toString('base64').replace(/.{76}/g, '$&\r\n');
  const inner = Buffer.from([
    'Received: from mail.bulk.example (mail.bulk.example [198.51.100.77])', '\tby mx.customer.example with ESMTP id BIG1; Thu, 26 Nov 2026 10:00:00 +0000',
    'From: invoices@bulk.example', 'To: pat@customer.example', 'Subject: Your invoice', 'Date: Thu, 26 Nov 2026 10:00:00 +0000',
    'Message-ID: <big-invoice@bulk.example>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="inv"', '',
    '--inv', 'Content-Type: text/plain', '', 'Open the attached invoice.', '',
    '--inv', 'Content-Type: application/zip; name="invoice.zip"', 'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="invoice.zip"', '', b64, '--inv--', '',
  ].join('\r\n'));
  return attachedForward(inner, 0);
}

/**
 * The load mix, as a cycle: real corpus messages (spam, ham, ARF and X-ARF reports, MIME cases) and
 * forwards generated around corpus spam (one in eight around a tenant's outbound spam, which the
 * bench's tenancy notifies), one in `bigEvery` a ~25 MB forward. The same list feeds the
 * bare simpleParser measurement, so both rates are over the same messages.
 */
export function buildMix(bigEvery: number): MixMessage[] {
  const spam = [...corpus('spam/spamassassin'), ...corpus('spam/rspamd')];
  // Spam a contoso user sent through the platform (tenant header in a trusted position): with the
  // bench's tenancy (contoso in `arf` mode) each such report is an ARF notification and a webhook event.
  const outbound = readFileSync(fileURLToPath(new URL('../../test/fixtures/attribution/outbound-smtp.eml', import.meta.url)));
  const others = [...corpus('ham/spamassassin'), ...corpus('arf/sisimai'), ...corpus('arf/abuseio'), ...corpus('x-arf/abuseio'), ...corpus('mime/postal-mime')];
  const big = bigMessage();
  const mix: MixMessage[] = [];
  for (let i = 0; mix.length < bigEvery - 1; i++) {
    const s = spam[i % spam.length]!;
    if (i % 8 === 0) mix.push({ kind: 'attached-forward', raw: attachedForward(outbound, i) });
    else if (i % 4 === 0) mix.push({ kind: 'attached-forward', raw: attachedForward(s, i) });
    else if (i % 4 === 1) mix.push({ kind: 'inline-forward', raw: inlineForward(s, i) });
    else if (i % 4 === 2) mix.push({ kind: 'corpus', raw: s });
    else mix.push({ kind: 'corpus', raw: others[i % others.length]! });
  }
  mix.push({ kind: 'big', raw: big });
  return mix;
}

/** Each send is a distinct raw message, as in production: no content-addressed dedup shortcut. */
export function unique(raw: Buffer, n: number): Buffer {
  return Buffer.concat([Buffer.from(`X-Bench-Seq: ${n}-${randomBytes(4).toString('hex')}\r\n`), raw]);
}
