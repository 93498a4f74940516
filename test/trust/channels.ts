import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { createApiKey, type KeyTrustOptions } from '../../shared/auth/api-keys.ts';
import { sendRaw } from '../intake/smtp-client.ts';
import { FormClient, reportForm } from '../intake/form-client.ts';
import type { TestService } from '../helpers/service.ts';

/**
 * The four ways a stranger can hand us a report, each as a real client uses it: SMTP to spam@,
 * the web form (a browser without JavaScript), POST /v1/reports, and the raw HTTP intake with a key.
 */
export interface Channel {
  name: string;
  /** Sends one report claiming to come from `reporter`. */
  send(reporter: string, raw: Buffer): Promise<void>;
}

export function smtpChannel(svc: TestService, localAddress?: string): Channel {
  return {
    name: 'SMTP',
    async send(reporter, raw) {
      const r = await sendRaw(svc.smtpPort!, { from: reporter, to: ['spam@reports.localhost'], raw, localAddress });
      expect(r.ok, r.response).to.equal(true);
    },
  };
}

export function formChannel(svc: TestService): Channel {
  return {
    name: 'web form',
    async send(reporter, raw) {
      const client = new FormClient(svc.url);
      const { token } = await client.open();
      const { res, html } = await client.post(reportForm({ _csrf: token, email: reporter, category: 'spam', source: raw.toString('utf8') }));
      expect(res.status, html).to.equal(200);
    },
  };
}

export function apiChannel(svc: TestService): Channel {
  return {
    name: 'POST /v1/reports',
    async send(reporter, raw) {
      const res = await fetch(`${svc.url}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: reporter, category: 'spam', messageBase64: raw.toString('base64') }),
      });
      expect(res.status, await res.clone().text()).to.equal(202);
    },
  };
}

/** The raw HTTP intake with a key created with `opts` (an anonymous-trust key is what a leaked or partner key may be). */
export async function intakeChannel(svc: TestService, ds: DataSource, opts: KeyTrustOptions, name = `HTTP intake (${opts.feedbackLoop ? `feed ${opts.feedbackLoop}` : `${opts.trust ?? 'platform'} key`})`): Promise<Channel> {
  const key = (await createApiKey(ds, 'intake', name, opts)).key;
  return {
    name,
    async send(reporter, raw) {
      const res = await fetch(`${svc.url}/v1/intake/email`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${key}`, 'x-reporter': reporter },
        body: new Uint8Array(raw),
      });
      expect(res.status, await res.clone().text()).to.equal(202);
    },
  };
}

/** Headers pasted by an attacker: one Received line naming `ip` as the sender (issue 11's first attack). */
export function forgedReceived(ip: string, n: number): Buffer {
  return Buffer.from([
    `Received: from x ([${ip}])`,
    `\tby mx.victim.example with ESMTP id forged${n}; Mon, 2 Mar 2026 10:00:00 +0000`,
    'From: someone@gmail.com',
    'To: victim@victim.example',
    `Subject: totally spam ${n}`,
    `Message-ID: <forged-${n}@victim.example>`,
    'Date: Mon, 2 Mar 2026 09:59:00 +0000',
    '',
    'body',
    '',
  ].join('\r\n'));
}

/** Pasted headers whose only signal names a tenant (From domain contoso.com): enough to flag it if they counted. */
export function forgedTenant(n: number): Buffer {
  return Buffer.from([
    'From: ceo@contoso.com',
    'To: victim@victim.example',
    `Subject: invoice ${n}`,
    `Message-ID: <forged-tenant-${n}@victim.example>`,
    '',
    'pay now',
    '',
  ].join('\r\n'));
}

/**
 * An ARF report about `ip` — `not-spam` is issue 11's second attack: its wrapper From claims to be
 * the configured feedback loop, its Source-IP and (with `chain`) the reported message's Received
 * line name `ip`.
 */
export function arfReport(ip: string, n: number, feedbackType: 'not-spam' | 'abuse', from = 'fbl@feedback.example.net', chain = true): Buffer {
  return Buffer.from([
    `From: <${from}>`,
    'To: spam@reports.localhost',
    `Subject: FBL report ${n}`,
    'Date: Mon, 2 Mar 2026 11:00:00 +0000',
    `Message-ID: <arf-${feedbackType}-${n}-${ip}@feedback.example.net>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    `This is an email abuse report for a message received from IP ${ip}.`,
    '',
    '--b1',
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${feedbackType}`,
    'User-Agent: ExampleFBL/1.0',
    'Version: 1',
    `Source-IP: ${ip}`,
    'Arrival-Date: Mon, 2 Mar 2026 10:00:00 +0000',
    '',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    // Without the chain (providers often redact it), only a bound feed's Source-IP names the sender.
    ...(chain ? [`Received: from bulk.sender.example (bulk.sender.example [${ip}])`, '\tby mx.feedback.example.net with ESMTP id in1; Mon, 2 Mar 2026 10:00:00 +0000'] : []),
    'From: <news@bulk-sender.example>',
    'To: subscriber@feedback.example.net',
    'Subject: our newsletter',
    `Message-ID: <inner-${feedbackType}-${n}@bulk-sender.example>`,
    '',
    '--b1--',
    '',
  ].join('\r\n'));
}
