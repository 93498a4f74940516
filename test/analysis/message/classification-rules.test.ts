import { expect } from 'chai';
import { extractMessages } from '../../../shared/analysis/message/extract-messages.ts';
import { headerValue } from '../../../shared/analysis/message/header-section.ts';
import { bytes, mail, multipart, spam } from './mail-builder.ts';

const kindOf = (raw: string): string => extractMessages(bytes(raw)).kind;
const person = ['From: Erin <erin@example.org>', 'To: abuse@platform.example', 'Date: Tue, 2 Jan 2024 10:00:00 +0000'];

describe('extraction: delivery reports (dsn)', () => {
  it('reads a read receipt (multipart/report; report-type=disposition-notification)', () => {
    const raw = mail([...person, 'Subject: Read: hello', 'Content-Type: multipart/report; report-type=disposition-notification; boundary=r'], '--r\nContent-Type: text/plain\n\nRead.\n--r\nContent-Type: message/disposition-notification\n\nDisposition: manual-action/MDN-sent-manually; displayed\n--r--\n');
    expect(kindOf(raw)).to.equal('dsn');
  });

  it('reads a DMARC aggregate report by its rua file name', () => {
    const raw = multipart(['From: noreply-dmarc-support@google.com', 'Subject: Report domain: example.org Submitter: google.com Report-ID: 123'], 'z', [
      [['Content-Type: application/zip; name="google.com!example.org!1704067200!1704153599.zip"', 'Content-Transfer-Encoding: base64'], 'UEsDBA=='],
    ]);
    const e = extractMessages(bytes(raw));
    expect(e.kind).to.equal('dsn');
    expect(e.reason).to.contain('DMARC');
  });

  it('reads a DMARC aggregate report by its subject alone', () => {
    expect(kindOf(mail(['From: dmarc@example.net', 'Subject: Report Domain: example.org Submitter: example.net Report-ID: <1>'], 'see attachment'))).to.equal('dsn');
  });

  it('reads a TLS report (application/tlsrpt+gzip)', () => {
    const raw = multipart(['From: tlsrpt@example.net', 'Subject: Report Domain: example.org'], 't', [[['Content-Type: application/tlsrpt+gzip'], 'H4sI']]);
    expect(kindOf(raw)).to.equal('dsn');
  });

  it('reads plain-text bounces: Exchange "Undeliverable:", null sender; qmail text', () => {
    expect(kindOf(mail(['Return-Path: <>', 'From: Microsoft Outlook <postmaster@contoso.example>', 'Subject: Undeliverable: Hello'], 'Delivery has failed to these recipients or groups:'))).to.equal('dsn');
    expect(kindOf(mail(['From: someone@example.net', 'Subject: failure notice'], 'Hi. This is the qmail-send program at mx.example.net.'))).to.equal('dsn');
    expect(kindOf(mail(['Return-Path: <>', 'From: mail@example.net', 'Subject: Returned mail: User unknown'], 'x'))).to.equal('dsn');
  });

  it('lets a bounce win over the message/rfc822 it returns', () => {
    const raw = multipart(['Return-Path: <>', 'From: MAILER-DAEMON@mx.example.net', 'Subject: Mail delivery failed'], 'bb', [
      [['Content-Type: text/plain'], 'This message was created automatically by mail delivery software.'],
      [['Content-Type: message/rfc822'], spam(1)],
    ]);
    const e = extractMessages(bytes(raw));
    expect(e.kind).to.equal('dsn');
    expect(e.messages).to.deep.equal([]);
  });

  it('does not take phishing that poses as the postmaster for a bounce', () => {
    const raw = mail(['Received: from x.example.com (x.example.com [203.0.113.5]) by mx.example.org; Mon, 1 Jan 2024 00:00:00 +0000', 'From: Postmaster <postmaster@example.org>', 'Subject: Your mailbox is full'], 'Click here to keep your mail.');
    expect(kindOf(raw)).to.equal('direct');
  });

  // Fake non-delivery notices are a phishing theme ("4 messages held: release them here"). They
  // return no message and offer a link; the sender chooses their From, subject and envelope sender.
  const lureHeaders = (returnPath: string) => [
    'Received: from mail.lure.example (mail.lure.example [203.0.113.45]) by mx.example.org with ESMTP id L1; Mon, 1 Jan 2024 00:00:05 +0000',
    `Return-Path: ${returnPath}`, 'From: "Mail Delivery System" <postmaster@example.org>', 'To: user@example.org',
    'Subject: Undelivered Mail Returned to Sender', 'Date: Mon, 1 Jan 2024 00:00:00 +0000', 'Message-ID: <lure-1@lure.example>', 'MIME-Version: 1.0',
  ];
  for (const returnPath of ['<bounces@lure.example>', '<>']) {
    it(`reports phishing dressed as a bounce, HTML with a link and nothing returned (Return-Path ${returnPath})`, () => {
      const html = mail([...lureHeaders(returnPath), 'Content-Type: text/html; charset=utf-8'], '<p>4 messages failed to deliver. <a href="https://release.lure.example/login">Release</a></p>');
      const e = extractMessages(bytes(html));
      expect(e.kind).to.equal('direct');
      expect(e.messages).to.have.length(1);
      const text = mail([...lureHeaders(returnPath), 'Content-Type: text/plain'], 'Delivery has failed to these recipients or groups.\nRelease your messages: https://release.lure.example/login');
      expect(kindOf(text)).to.equal('direct');
    });
  }

  it('still reads a bounce that returns the original, even with a link in its text', () => {
    const quoted = mail(['Return-Path: <>', 'From: MAILER-DAEMON@mx.example.net', 'Subject: Undelivered Mail Returned to Sender'],
      'I\'m sorry to have to inform you that your message could not be delivered.\nSee https://mx.example.net/help\n\n--- original headers ---\nReceived: from a by b\nSubject: hello\nFrom: x@example.org\n');
    expect(kindOf(quoted)).to.equal('dsn');
    const attached = multipart(['From: postmaster@example.net', 'Subject: Undeliverable: hello'], 'nd', [
      [['Content-Type: text/html'], '<p>Delivery failed. <a href="https://help.example.net/">Help</a></p>'],
      [['Content-Type: message/rfc822'], spam(2)],
    ]);
    expect(kindOf(attached)).to.equal('dsn');
  });
});

describe('extraction: automatic replies', () => {
  for (const [name, header] of [
    ['X-Autoreply', 'X-Autoreply: yes'],
    ['X-Autorespond', 'X-Autorespond: vacation'],
    ['Precedence: auto_reply', 'Precedence: auto_reply'],
    ['Auto-Submitted: auto-replied', 'Auto-Submitted: auto-replied (vacation)'],
  ]) {
    it(`reads ${name} as auto-reply, with no reply header needed`, () => {
      expect(kindOf(mail([...person, 'Subject: Re: hello', header!], 'I am away.'))).to.equal('auto-reply');
    });
  }

  // Weak marks say "machine-generated", not "reply": they discard a message only when it answers another.
  for (const [name, header] of [
    ['X-Auto-Response-Suppress', 'X-Auto-Response-Suppress: All'],
    ['Auto-Submitted: auto-generated', 'Auto-Submitted: auto-generated'],
  ]) {
    for (const reply of ['In-Reply-To: <notice-1@abuse.platform.example>', 'References: <notice-1@abuse.platform.example>']) {
      it(`reads ${name} on a message with ${reply.split(':')[0]} as auto-reply`, () => {
        expect(kindOf(mail([...person, 'Subject: Re: hello', header!, reply], 'Your ticket was received.'))).to.equal('auto-reply');
      });
    }
    it(`reports a message that only carries ${name} (machine-generated, answering nothing)`, () => {
      const e = extractMessages(bytes(mail([...person, 'Subject: Re: hello', header!], 'Open the shared document.')));
      expect(e.kind).to.equal('direct');
      expect(e.messages).to.have.length(1);
    });
  }

  for (const subject of ['Automatic reply: hello', 'Out of Office: hello', 'Abwesenheitsnotiz: hallo', 'AutoReply: hi', 'Away until Monday']) {
    it(`reads the subject "${subject}" as auto-reply`, () => {
      expect(kindOf(mail([...person, `Subject: ${subject}`], 'I am away.'))).to.equal('auto-reply');
    });
  }

  it('does not take a vacation advert for an auto-reply', () => {
    expect(kindOf(mail([...person, 'Subject: Cheap vacation deals, out of office soon?'], 'Book now.'))).to.equal('direct');
  });

  it('lets a strong auto-reply signal win over an attached original', () => {
    const raw = multipart([...person, 'Subject: Automatic reply: spam', 'Auto-Submitted: auto-replied'], 'ar', [[['Content-Type: message/rfc822'], spam(1)]]);
    expect(kindOf(raw)).to.equal('auto-reply');
  });

  it('keeps a redirect marked auto-forwarded as the spam itself', () => {
    expect(kindOf(`Auto-Submitted: auto-forwarded\n${spam(2)}`)).to.equal('direct');
  });
});

describe('extraction: X-ARF JSON and HTML forwards', () => {
  it('reads an X-ARF v4 JSON report part', () => {
    const json = JSON.stringify({
      Version: '4',
      ReporterInfo: { ReporterOrg: 'Example CERT', ReporterOrgEmail: 'cert@example.net' },
      Disclosure: true,
      Report: { ReportClass: 'Activity', ReportType: 'Spam', Date: '2024-01-01T00:00:00Z', SourceIp: '198.51.100.77', SourcePort: 25 },
    });
    const raw = multipart(['From: cert@example.net', 'Subject: abuse report', 'X-XARF: PLAIN'], 'j', [
      [['Content-Type: text/plain'], 'Human readable part.'],
      [['Content-Type: application/json'], json],
      [['Content-Type: message/rfc822'], spam(6)],
    ]);
    const e = extractMessages(bytes(raw));
    expect(e.kind).to.equal('xarf');
    const m = e.messages[0]!;
    expect(m.arf).to.deep.include({ feedbackType: 'spam', sourceIp: '198.51.100.77', sourcePort: 25, version: '4', userAgent: 'Example CERT' });
    expect(m.source).to.equal('xarf-attachment');
    expect(headerValue(m.headers, 'subject')).to.equal('Cheap offer number 6');
  });

  it('finds an inline forward in an HTML-only body', () => {
    const html = '<html><head><style>p{}</style></head><body><p>FYI</p><div>---------- Forwarded message ---------<br>From: Promo &lt;promo@deals.example&gt;<br>Subject: Deal<br>To: erin@example.org<br></div><p>Buy</p></body></html>';
    const e = extractMessages(bytes(mail([...person, 'Subject: Fwd: Deal', 'Content-Type: text/html; charset=utf-8'], html)));
    expect(e.kind).to.equal('forward');
    expect(headerValue(e.messages[0]!.headers, 'from')).to.equal('Promo <promo@deals.example>');
  });
});
