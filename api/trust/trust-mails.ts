import type { OutgoingMail } from '../../shared/mail/mailer.ts';

/** The mails of the trust flows. Plain text: the link should show as text, not as something we styled. */

export function reportConfirmationMail(to: string, trackingId: string, link: string): OutgoingMail {
  return {
    to,
    subject: `Confirm your abuse report ${trackingId.slice(0, 8)}`,
    text: [
      `We received an abuse report that gave ${to} as the reporter's address (tracking id ${trackingId}).`,
      '',
      'If you sent it, open this link within 24 hours and press "Confirm". It works once:',
      link,
      '',
      'Until it is confirmed, the report is kept and read by our analysts, but it does not count',
      'towards blocking anyone. If you did not send it, ignore this message; nothing changes.',
    ].join('\n'),
  };
}

export function reporterLinkMail(to: string, purpose: 'reporter' | 'revoke', link: string): OutgoingMail {
  const issue = purpose === 'reporter';
  return {
    to,
    subject: issue ? 'Your personal address for reporting abuse' : 'Revoke your personal reporting address',
    text: [
      issue
        ? `Someone (hopefully you) asked for a personal abuse-reporting address for ${to}.`
        : `Someone (hopefully you) asked to revoke the personal abuse-reporting address of ${to}.`,
      '',
      `Open this link within 24 hours and press the button${issue ? ' to see your address' : ''}. It works once:`,
      link,
      '',
      issue ? 'The address is shown only on that page. An earlier address of yours stops working then.' : 'After that, mail to the old address is refused.',
      'If you did not ask for this, ignore this message; nothing changes.',
    ].join('\n'),
  };
}
