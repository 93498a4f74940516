import type { OutgoingMail } from '../../shared/mail/mailer.ts';

/**
 * The mail carrying a delist request's single-use confirmation link. Plain text only: the
 * recipient's client should show the link as text, not as something we styled.
 */
export function delistConfirmationMail(to: string, ip: string, link: string): OutgoingMail {
  return {
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
  };
}
