import nodemailer from 'nodemailer';

/** What one send got back. `accepted` means 2xx (HTTP) or 250 (SMTP): the service promised to keep it. */
export interface Outcome {
  marker: string;
  channel: 'http' | 'smtp';
  startedAt: number;
  endedAt: number;
  accepted: boolean;
  /** HTTP status or SMTP reply code; 0 when the connection failed or timed out. */
  code: number;
}

/**
 * A realistic spam with a unique marker in its Message-ID, sent "from" the run's own domain through
 * a public (documentation-range) relay, so every report lands on the same reputation subjects.
 */
export function buildMessage(marker: string, domain: string, i: number): Buffer {
  const ip = `203.0.113.${(i % 200) + 1}`;
  const date = new Date().toUTCString().replace('GMT', '+0000');
  return Buffer.from(
    [
      `Received: from mail.${domain} (mail.${domain} [${ip}])`,
      `\tby mx.recipient.example (Postfix) with ESMTP id ${marker.slice(0, 12).toUpperCase()}`,
      `\tfor <victim@recipient.example>; ${date}`,
      `From: "Prize Department" <winner@${domain}>`,
      `To: victim@recipient.example`,
      `Subject: You have won (${i})`,
      `Date: ${date}`,
      `Message-ID: <${marker}@${domain}>`,
      `MIME-Version: 1.0`,
      `Content-Type: text/plain; charset=utf-8`,
      '',
      `Dear winner, claim your prize at http://${domain}/claim?id=${i} before midnight.`,
      'This is fault-test traffic; it is not real mail.',
      '',
    ].join('\r\n'),
  );
}

export interface Senders {
  http(marker: string, raw: Buffer): Promise<Outcome>;
  smtp: ((marker: string, raw: Buffer) => Promise<Outcome>) | null;
  close(): void;
}

export function createSenders(opts: { httpUrl: string; apiKey: string; smtpPort: number | null; timeoutMs: number }): Senders {
  const transport = opts.smtpPort
    ? nodemailer.createTransport({
        host: '127.0.0.1', port: opts.smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 8,
        connectionTimeout: opts.timeoutMs, greetingTimeout: opts.timeoutMs, socketTimeout: opts.timeoutMs,
      })
    : null;
  return {
    async http(marker, raw) {
      const startedAt = Date.now();
      try {
        const res = await fetch(`${opts.httpUrl}/v1/intake/email`, {
          method: 'POST', body: new Uint8Array(raw), signal: AbortSignal.timeout(opts.timeoutMs),
          headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${opts.apiKey}` },
        });
        await res.arrayBuffer();
        return { marker, channel: 'http', startedAt, endedAt: Date.now(), accepted: res.status >= 200 && res.status < 300, code: res.status };
      } catch {
        return { marker, channel: 'http', startedAt, endedAt: Date.now(), accepted: false, code: 0 };
      }
    },
    smtp: transport
      ? async (marker, raw) => {
          const startedAt = Date.now();
          try {
            const info = await transport.sendMail({
              envelope: { from: 'reporter@recipient.example', to: ['spam@reports.localhost'] },
              raw,
            });
            const code = Number(/^(\d{3})/.exec(info.response)?.[1] ?? 0);
            return { marker, channel: 'smtp', startedAt, endedAt: Date.now(), accepted: code === 250, code };
          } catch (err) {
            const code = (err as { responseCode?: number }).responseCode ?? 0;
            return { marker, channel: 'smtp', startedAt, endedAt: Date.now(), accepted: false, code };
          }
        }
      : null,
    close() {
      transport?.close();
    },
  };
}
