import { simpleParser } from 'mailparser';
import type { Analysis } from '../../shared/analysis/types.ts';

/** Foundation-stage parse: the reported message's identity fields, no attribution yet. */
export async function parseWithMailparser(raw: Buffer): Promise<Analysis> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const received = mail.headers.get('received');
  const chain = (Array.isArray(received) ? received : received ? [received] : []).map(String);
  const from = mail.from?.value[0]?.address ?? null;
  return {
    kind: 'direct',
    reason: null,
    wrapper: null,
    reports: [
      {
        subject: mail.subject ?? null,
        from,
        fromDomain: from?.split('@')[1]?.toLowerCase() ?? null,
        messageId: mail.messageId ?? null,
        date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
        receivedChain: chain,
        hops: [],
        direction: 'unknown',
        relayIp: null,
        originatingIp: null,
        viaPlatform: false,
        tenant: null,
        tenantConfidence: null,
        recipientTenant: null,
        conflict: false,
        decidingHop: null,
        feedbackType: null,
        arf: null,
        sendingDomain: null,
        reporter: null,
        evidence: [],
      },
    ],
  };
}
