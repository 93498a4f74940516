import type { OutgoingMail } from '../../shared/mail/mailer.ts';
import { translator } from '../web/i18n/catalog.ts';
import type { Language } from '../web/i18n/languages.ts';

/**
 * The mails of the trust flows, in the language of the request that caused them (namespace
 * `reporters`, `mails.*`). Plain text: the link should show as text, not as something we styled.
 */

export function reportConfirmationMail(to: string, trackingId: string, link: string, lang: Language = 'en'): OutgoingMail {
  const t = translator(lang, 'reporters');
  return {
    to,
    subject: t('mails.reportConfirmation.subject', { short: trackingId.slice(0, 8) }),
    text: [
      t('mails.reportConfirmation.received', { to, id: trackingId }),
      '',
      t('mails.reportConfirmation.open'),
      link,
      '',
      t('mails.reportConfirmation.until'),
    ].join('\n'),
  };
}

export function reporterLinkMail(to: string, purpose: 'reporter' | 'revoke', link: string, lang: Language = 'en'): OutgoingMail {
  const t = translator(lang, 'reporters');
  const k = purpose === 'reporter' ? 'issue' : 'revoke';
  return {
    to,
    subject: t(`mails.reporterLink.${k}Subject`),
    text: [
      t(`mails.reporterLink.${k}Asked`, { to }),
      '',
      t(`mails.reporterLink.${k}Open`),
      link,
      '',
      t(`mails.reporterLink.${k}After`),
      t('mails.reporterLink.ignore'),
    ].join('\n'),
  };
}
