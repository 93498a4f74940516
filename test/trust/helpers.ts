import type { DataSource } from 'typeorm';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { issueAddress } from '../../shared/trust/reporters-store.ts';
import { personalAddress } from '../../shared/trust/personal-address.ts';
import { waitUntil } from '../helpers/db.ts';

/**
 * A personal reporting address issued the way `/reporters` issues one (store function, no mail):
 * for suites that need verified SMTP reporters without walking the confirmation pages each time.
 */
export async function personalAddressFor(ds: DataSource, email: string, domain = 'reports.localhost'): Promise<string> {
  const issued = await issueAddress(ds.manager, email, addressIdentity(email)!, new Date());
  return personalAddress(issued.token, domain);
}

/** A spam as a recipient's mailbox received it: the mailbox's internal hop, the outside sender `ip` below it. */
export function spamFrom(ip: string, n: number | string, extra: string[] = []): Buffer {
  return Buffer.from([
    'Received: from mx.recipient.example (mx.recipient.example [192.168.1.5])',
    '\tby mail.recipient.example with ESMTP id 1; Mon, 2 Mar 2026 10:00:01 +0000',
    `Received: from bulk.spammer.example (bulk.spammer.example [${ip}])`,
    '\tby mx.recipient.example with ESMTP id 2; Mon, 2 Mar 2026 10:00:00 +0000',
    ...extra,
    'From: Deals <deals@spammer.example>',
    'To: victim@recipient.example',
    'Subject: cheap watches',
    `Message-ID: <${n}@spammer.example>`,
    'Date: Mon, 2 Mar 2026 09:59:00 +0000',
    '',
    'buy now',
    '',
  ].join('\r\n'));
}

/** Waits until every submission is final (processed, discarded or failed). */
export function waitAllProcessed(ds: DataSource, n: number, timeoutMs = 20_000): Promise<true> {
  return waitUntil(async () => {
    const [r]: { done: number }[] = await ds.query(`SELECT count(*)::int AS done FROM submissions WHERE status IN ('processed', 'discarded', 'failed')`);
    return r!.done >= n ? true : undefined;
  }, `${n} submissions to be processed`, timeoutMs);
}
