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

/** The token of the single-use link in a captured mail (`…/report/confirm?token=…`). */
export function linkToken(text: string, path = '/report/confirm'): string {
  const m = new RegExp(`${path.replace(/\//g, '\\/')}\\?token=([A-Za-z0-9_-]{43})`).exec(text);
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  return m[1]!;
}

/**
 * Opens a mailed link as a person does (GET: the page with its button); `press()` presses the
 * button (POST with the page's CSRF token and cookies) and may be called again, as a double click
 * or a resent form would. A browser without JavaScript, in fetch calls.
 */
export async function openLink(base: string, path: string, token: string): Promise<{ status: number; html: string; press: () => Promise<{ status: number; html: string }> }> {
  const res = await fetch(`${base}${path}?token=${token}`);
  const html = await res.text();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const press = async () => {
    const post = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, token }).toString(),
    });
    return { status: post.status, html: await post.text() };
  };
  return { status: res.status, html, press };
}
