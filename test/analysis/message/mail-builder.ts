/** Small builders for hand-written test messages (LF line ends unless a test converts them). */

/** A message with the given header lines and body. */
export function mail(headers: string[], body: string): string {
  return `${headers.join('\n')}\n\n${body}`;
}

/** A spam message with a Received chain, as a reporter would attach it. */
export function spam(n: number, ip = `203.0.113.${n}`): string {
  return mail(
    [
      `Received: from mx.example.net (mx.example.net [198.51.100.7]) by mail.example.org with ESMTP id A${n}; Mon, 1 Jan 2024 00:00:0${n % 10} +0000`,
      `Received: from sender${n}.example.com (sender${n}.example.com [${ip}]) by mx.example.net with SMTP id B${n}; Mon, 1 Jan 2024 00:00:00 +0000`,
      `From: Spammer ${n} <spam${n}@example.com>`,
      'To: victim@example.org',
      `Subject: Cheap offer number ${n}`,
      `Message-ID: <spam-${n}@example.com>`,
      'Date: Mon, 1 Jan 2024 00:00:00 +0000',
    ],
    `Buy now, offer ${n}.\n`,
  );
}

/** multipart/mixed with a text note and the given parts (each a [part headers, body] pair). */
export function multipart(headers: string[], boundary: string, parts: [string[], string][]): string {
  const body = parts.map(([h, b]) => `--${boundary}\n${h.join('\n')}\n\n${b}\n`).join('') + `--${boundary}--\n`;
  return mail([...headers, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`], `This is a MIME message.\n\n${body}`);
}

/** A user's forward of `attached` messages as message/rfc822 attachments. */
export function forwardOf(subject: string, attached: string[], from = 'Alice <alice@example.org>'): string {
  return multipart(
    [`From: ${from}`, 'To: abuse@platform.example', `Subject: ${subject}`, 'Date: Tue, 2 Jan 2024 10:00:00 +0000', `Message-ID: <fwd-${subject.length}@example.org>`],
    `b-${subject.length}-${attached.length}`,
    [[['Content-Type: text/plain'], 'Please look at this spam.'], ...attached.map((m): [string[], string] => [['Content-Type: message/rfc822', 'Content-Disposition: attachment'], m])],
  );
}

export function bytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}
