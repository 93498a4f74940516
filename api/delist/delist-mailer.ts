import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../shared/config/config.schema.ts';

export interface DelistMailer {
  sendConfirmation(to: string, ip: string, link: string): Promise<void>;
}

/**
 * Mails the single-use confirmation link through the configured relay (MAIL_RELAY_URL). Plain
 * text only: the recipient's client should show the link as text, not as something we styled.
 */
export function delistMailer(config: Config): DelistMailer {
  let transport: Transporter | null = null;
  return {
    async sendConfirmation(to, ip, link) {
      // Built on first use, so an api process that never mails opens no SMTP connection.
      transport ??= nodemailer.createTransport(config.MAIL_RELAY_URL);
      await transport.sendMail({
        from: config.MAIL_FROM,
        to,
        subject: `Confirm the removal request for ${ip}`,
        text: [
          `Someone (hopefully you) asked to remove ${ip} from our blocklist.`,
          '',
          'To confirm, open this link within 24 hours. It works once:',
          link,
          '',
          'If you did not ask for this, ignore this message; nothing changes.',
        ].join('\n'),
      });
    },
  };
}
