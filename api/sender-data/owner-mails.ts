import type { OutgoingMail } from '../../shared/mail/mailer.ts';

/** The owner flows' mails. Plain text: the link shows as text. English (a mailbox has no language choice). */

export function signinMail(to: string, link: string): OutgoingMail {
  return {
    to,
    subject: 'Sign in to your IP data',
    text: [
      `Someone (hopefully you) asked to sign in as ${to} to see data about mail from IP addresses.`,
      '',
      'Open this link within 24 hours and press "Sign in". It works once:',
      link,
      '',
      'If you did not ask for this, ignore this message; nothing changes.',
    ].join('\n'),
  };
}

export function rangeProofMail(to: string, owner: string, cidr: string, link: string): OutgoingMail {
  return {
    to,
    subject: `Access to data about mail from ${cidr}`,
    text: [
      `${owner} asked to see our data about mail sent from ${cidr} and to receive copies of complaints about it.`,
      `This mailbox was offered as proof because the reverse DNS (PTR) names of ${cidr} point into this domain.`,
      '',
      'If this person may see that, open this link within 24 hours and press "Grant access". It works once:',
      link,
      '',
      'If not, ignore this message: nothing is granted.',
    ].join('\n'),
  };
}

export function fblConfirmMail(to: string, owner: string, link: string): OutgoingMail {
  return {
    to,
    subject: 'Confirm: receive complaint reports (feedback loop)',
    text: [
      `${owner} asked to send copies of complaints about their mail servers to ${to}, as ARF reports (RFC 5965).`,
      '',
      'If you want them, open this link within 24 hours and confirm. It works once:',
      link,
      '',
      'If not, ignore this message: nothing will be sent.',
    ].join('\n'),
  };
}
