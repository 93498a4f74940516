import type { Config } from '../config/config.schema.ts';

/** The service's public base URL (mailed links). */
export function servicePublicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/** The tenant response page for a token. */
export function responseUrl(config: Config, token: string): string {
  return `${servicePublicUrl(config)}/respond/${token}`;
}

/** Our Message-ID for a notification: stable per generation, so a duplicate send is recognisable. */
export function notificationMessageId(config: Config, id: string, generation: number): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(config.MAIL_FROM)?.[1] ?? 'localhost';
  return `<notification.${id}.${generation}@${domain}>`;
}

export const USER_AGENT = 'abuse-intake/0.1';

/** The human part of an ARF notification (no reported content beyond IP, time and feedback type). */
export function arfHumanText(a: { tenantName: string; sourceIp: string | null; receivedAt: Date; feedbackType: string | null; responseUrl: string; attachedReason: string }): string {
  return [
    `Hello ${a.tenantName},`,
    '',
    `we received an abuse report (${a.feedbackType ?? 'abuse'}) about a message sent from your account${a.sourceIp ? ` from ${a.sourceIp}` : ''}, received ${a.receivedAt.toISOString()}.`,
    `The reported message is attached (${a.attachedReason}); the recipient's and the reporter's addresses are redacted.`,
    '',
    `Tell us what you did about it: ${a.responseUrl}`,
    '(the link works for 30 days).',
    '',
    'This is a machine-readable abuse report (RFC 5965, ARF).',
  ].join('\n');
}
