import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { DataSource } from 'typeorm';
import type { Config } from '../config/config.schema.ts';
import { AppError } from '../errors/app-error.ts';
import type { Logger } from '../logger.ts';
import { saveToOutbox } from './dev-outbox.ts';

/** A mail we send: nodemailer's options (`text`, `attachments`, `headers`, or a prebuilt `raw`). */
export type OutgoingMail = Mail.Options;

export interface SentMail {
  /** The Message-ID the mail went out with. */
  messageId: string;
}

/**
 * Every mail the service sends (confirmation links, notifications, feedback-loop copies) goes
 * through one Mailer, so where mail goes is decided once, at start:
 * - `relay`: `MAIL_RELAY_URL` is set: real SMTP through that relay (nodemailer);
 * - `outbox`: no relay, `start --demo`, not production: kept in the development outbox
 *   (`dev_outbox`, listed at `/dev/outbox` for admins) and printed to the log;
 * - `none`: no relay otherwise: every send fails with `mail_unavailable` (503), saying what to set.
 */
export interface Mailer {
  readonly kind: 'relay' | 'outbox' | 'none';
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

export interface MailerOptions {
  ds: DataSource;
  log: Logger;
  /** The process runs `start --demo`: without a relay, mail goes to the development outbox. */
  demo?: boolean;
}

/** Headers every automatic mail carries (RFC 3834): no auto-reply, no vacation answer comes back. */
const AUTOMATIC = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };

/**
 * nodemailer's DKIM signing when `MAIL_DKIM_DOMAIN`, `MAIL_DKIM_SELECTOR` and `MAIL_DKIM_PRIVATE_KEY`
 * are all set (a relay would otherwise pass our notifications on unsigned, and receivers' DMARC
 * checks would treat them as anybody's mail). Prebuilt `raw` mails are signed too.
 */
export function dkimOptions(config: Config): { domainName: string; keySelector: string; privateKey: string } | undefined {
  const { MAIL_DKIM_DOMAIN: domainName, MAIL_DKIM_SELECTOR: keySelector, MAIL_DKIM_PRIVATE_KEY: privateKey } = config;
  return domainName && keySelector && privateKey ? { domainName, keySelector, privateKey } : undefined;
}

export function createMailer(config: Config, opts: MailerOptions): Mailer {
  const withDefaults = (mail: OutgoingMail): OutgoingMail =>
    mail.raw ? mail : { from: config.MAIL_FROM, ...mail, headers: { ...AUTOMATIC, ...(mail.headers as Record<string, string> | undefined) } };

  if (config.MAIL_RELAY_URL) {
    let transport: Transporter | null = null;
    return {
      kind: 'relay',
      async send(mail) {
        // Built on first use, so a process that never mails opens no SMTP connection.
        transport ??= nodemailer.createTransport({ url: config.MAIL_RELAY_URL, dkim: dkimOptions(config) });
        const info = await transport.sendMail(withDefaults(mail));
        return { messageId: info.messageId };
      },
      close() {
        transport?.close();
      },
    };
  }

  if (opts.demo && config.NODE_ENV !== 'production') {
    // nodemailer composes the message exactly as the relay would get it; the outbox keeps the bytes.
    const compose = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', dkim: dkimOptions(config) });
    return {
      kind: 'outbox',
      async send(mail) {
        const info = await compose.sendMail(withDefaults(mail));
        const raw = info.message as Buffer;
        const id = await saveToOutbox(opts.ds, { messageId: info.messageId, envelope: info.envelope, raw });
        // The text goes to the log too: in a demo, the terminal is where a newcomer looks for a link.
        const text = typeof mail.text === 'string' ? mail.text.slice(0, 2000) : null;
        opts.log.info({ outboxId: id, to: info.envelope.to, subject: mail.subject ?? null, text, page: `/dev/outbox/${id}` },
          'demo outbox: mail kept (no MAIL_RELAY_URL); an admin can read it at /dev/outbox');
        return { messageId: info.messageId };
      },
      close() {},
    };
  }

  return {
    kind: 'none',
    async send() {
      throw new AppError('mail_unavailable', 'no mail relay is configured: set MAIL_RELAY_URL (smtp:// or smtps://)');
    },
    close() {},
  };
}
