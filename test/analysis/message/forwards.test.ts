import { expect } from 'chai';
import { extractMessages } from '../../../shared/analysis/message/extract-messages.ts';
import { headerValue } from '../../../shared/analysis/message/header-section.ts';
import { bytes, forwardOf, mail, multipart, spam } from './mail-builder.ts';
import type { ReportedMessage } from '../../../shared/analysis/message/types.ts';

const subjectOf = (m: ReportedMessage): string | null => headerValue(m.headers, 'subject');

describe('extraction: forwards as attachments', () => {
  it('gives one reported message per attached message, in order', () => {
    const e = extractMessages(bytes(forwardOf('Fwd: three spams', [spam(1), spam(2), spam(3)])));
    expect(e.kind).to.equal('forward');
    expect(e.messages.map(subjectOf)).to.deep.equal(['Cheap offer number 1', 'Cheap offer number 2', 'Cheap offer number 3']);
    expect(e.messages.every((m) => m.source === 'attachment')).to.equal(true);
    expect(headerValue(e.messages[1]!.headers, 'received')).to.contain('[198.51.100.7]');
    expect(e.wrapper?.from).to.equal('Alice <alice@example.org>');
    expect(e.wrapper?.subject).to.equal('Fwd: three spams');
  });

  it('unwraps a forward whose attachment only wraps another forward, to the innermost message', () => {
    const middle = forwardOf('Fwd: look at this', [spam(7)], 'Bob <bob@example.org>');
    const e = extractMessages(bytes(forwardOf('Fwd: Fwd: look at this', [middle])));
    expect(e.kind).to.equal('forward');
    expect(e.messages).to.have.length(1);
    expect(subjectOf(e.messages[0]!)).to.equal('Cheap offer number 7');
    expect(e.messages[0]!.notes.join(' ')).to.contain('unwrapped nested forward at depth 1');
  });

  it('keeps a received spam that carries its own attached message (it is the reported one)', () => {
    const spamWithAttachment = multipart(
      ['Received: from x.example.com (x.example.com [203.0.113.50]) by mx.example.net; Mon, 1 Jan 2024 00:00:00 +0000', 'From: s@example.com', 'Subject: Your invoice'],
      'inner-b',
      [[['Content-Type: message/rfc822'], spam(9)]],
    );
    const e = extractMessages(bytes(forwardOf('Fwd: invoice spam', [spamWithAttachment])));
    expect(e.messages.map(subjectOf)).to.deep.equal(['Your invoice']);
  });

  it('decodes a message/rfc822 attachment wrapped in base64', () => {
    const encoded = Buffer.from(spam(4)).toString('base64').replace(/.{76}/g, '$&\n');
    const raw = multipart(['From: a@example.org', 'Subject: Fwd: spam'], 'b64', [[['Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64'], encoded]]);
    const e = extractMessages(bytes(raw));
    expect(e.kind).to.equal('forward');
    expect(subjectOf(e.messages[0]!)).to.equal('Cheap offer number 4');
    expect(e.messages[0]!.raw.toString()).to.equal(spam(4));
  });

  it('reads an attached .eml sent as application/octet-stream', () => {
    const raw = multipart(['From: a@example.org', 'Subject: spam report'], 'oct', [
      [['Content-Type: application/octet-stream; name="spam.eml"', 'Content-Disposition: attachment; filename="spam.eml"'], spam(5)],
    ]);
    const e = extractMessages(bytes(raw));
    expect(e.kind).to.equal('forward');
    expect(subjectOf(e.messages[0]!)).to.equal('Cheap offer number 5');
  });

  it('stops at the message limit and records it', () => {
    const many = Array.from({ length: 25 }, (_, i) => spam(i + 1));
    const e = extractMessages(bytes(forwardOf('Fwd: lots', many)));
    expect(e.messages).to.have.length(20);
    expect(e.truncated.join(' ')).to.contain('more than 20 reported messages');
    expect(extractMessages(bytes(forwardOf('Fwd: lots', many)), { messages: 3 }).messages).to.have.length(3);
  });

  it('lets a forward win over Auto-Submitted: auto-generated (report generators set it)', () => {
    const raw = forwardOf('Fwd: spam', [spam(1)]).replace('Subject: Fwd: spam', 'Subject: Fwd: spam\nAuto-Submitted: auto-generated');
    expect(extractMessages(bytes(raw)).kind).to.equal('forward');
  });
});

describe('extraction: inline forwards', () => {
  const wrapper = (subject: string, body: string): Buffer =>
    bytes(mail(['From: Carol <carol@example.org>', 'To: spam@platform.example', `Subject: ${subject}`, 'Date: Tue, 2 Jan 2024 10:00:00 +0000'], body));

  it('reads a Gmail "Forwarded message" block', () => {
    const e = extractMessages(
      wrapper(
        'Fwd: You won',
        'FYI\n\n---------- Forwarded message ---------\nFrom: Lottery <win@lottery.example.com>\nDate: Mon, 1 Jan 2024 at 10:00\nSubject: You won\nTo: <carol@example.org>\n\nClaim your prize.\n',
      ),
    );
    expect(e.kind).to.equal('forward');
    const m = e.messages[0]!;
    expect(m.source).to.equal('inline-forward');
    expect(headerValue(m.headers, 'from')).to.equal('Lottery <win@lottery.example.com>');
    expect(headerValue(m.headers, 'subject')).to.equal('You won');
    expect(headerValue(m.headers, 'received')).to.equal(null);
    expect(m.notes.join(' ')).to.contain('without a Received chain');
  });

  it('reads an Outlook "-----Original Message-----" block (Sent → date, [mailto:] → <addr>)', () => {
    const e = extractMessages(
      wrapper(
        'FW: Invoice',
        '\r\n-----Original Message-----\r\nFrom: Billing [mailto:billing@invoices.example.com]\r\nSent: Monday, January 1, 2024 10:00 AM\r\nTo: Carol\r\nSubject: Invoice\r\n\r\nPay now.\r\n',
      ),
    );
    const m = e.messages[0]!;
    expect(headerValue(m.headers, 'from')).to.equal('Billing <billing@invoices.example.com>');
    expect(headerValue(m.headers, 'date')).to.equal('Monday, January 1, 2024 10:00 AM');
  });

  it('reads an Outlook block without a marker line (From / Sent / To / Subject)', () => {
    const e = extractMessages(wrapper('FW: Deal', '________________________________\nFrom: Deals <deals@example.net>\nSent: Monday, January 1, 2024 10:00\nTo: Carol\nSubject: Deal\n\nBuy.\n'));
    expect(e.kind).to.equal('forward');
    expect(headerValue(e.messages[0]!.headers, 'from')).to.equal('Deals <deals@example.net>');
  });

  it('reads an Apple Mail "Begin forwarded message:" block', () => {
    const e = extractMessages(wrapper('Fwd: Hi', 'Begin forwarded message:\n\nFrom: Stranger <x@stranger.example>\nSubject: Hi\nDate: 1 January 2024 at 10:00:00 CET\nTo: carol@example.org\n\nHello.\n'));
    expect(headerValue(e.messages[0]!.headers, 'from')).to.equal('Stranger <x@stranger.example>');
    expect(headerValue(e.messages[0]!.headers, 'subject')).to.equal('Hi');
  });

  it('takes the innermost of nested inline forwards', () => {
    const body =
      '---------- Forwarded message ---------\nFrom: Dave <dave@example.org>\nSubject: Fwd: Spam\n\n' +
      '---------- Forwarded message ---------\nFrom: Spammer <s@spam.example>\nSubject: Spam\n\nBuy.\n';
    expect(headerValue(extractMessages(wrapper('Fwd: Fwd: Spam', body)).messages[0]!.headers, 'from')).to.equal('Spammer <s@spam.example>');
  });

  it('reads a full header block pasted into the body, with its Received chain', () => {
    const pasted = spam(3).split('\n\n')[0]!;
    const e = extractMessages(wrapper('spam report', `Hello, this came in:\n\n${pasted}\n\nthanks`));
    expect(e.kind).to.equal('forward');
    const m = e.messages[0]!;
    expect(m.source).to.equal('inline-forward');
    expect(m.headers.filter((h) => h.name === 'received')).to.have.length(2);
    expect(headerValue(m.headers, 'subject')).to.equal('Cheap offer number 3');
  });

  it('leaves spam that fakes a reply chain direct (no forward subject)', () => {
    const e = extractMessages(wrapper('Re: your order', 'See below.\n\n-----Original Message-----\nFrom: Shop <shop@example.com>\nSent: today\nSubject: order\n\nx\n'));
    expect(e.kind).to.equal('direct');
  });
});

describe('extraction: forwarded reports', () => {
  it('reads a forwarded ARF report as its original message, with the report fields', async () => {
    const { corpusFile } = await import('../../helpers/corpus.ts');
    const arf = corpusFile('arf/sisimai/arf-16.eml').toString('latin1');
    const e = extractMessages(bytes(forwardOf('Fwd: Abuse Report', [arf])));
    expect(e.kind).to.equal('forward');
    expect(e.messages).to.have.length(1);
    expect(e.messages[0]!.arf?.reportedDomain).to.deep.equal(['example.com', 'example.org']);
    expect(subjectOf(e.messages[0]!)).to.equal('Nyaan');
    expect(e.messages[0]!.notes.join(' ')).to.contain('ARF report');
  });
});

describe('extraction: attached headers and byte order marks', () => {
  it('reads a text/rfc822-headers attachment of a forward as a headers-only message', () => {
    const headersOnly = spam(8).split('\n\n')[0]!;
    const raw = multipart(['From: a@example.org', 'Subject: spam headers'], 'h', [[['Content-Type: text/rfc822-headers'], headersOnly]]);
    const e = extractMessages(bytes(raw));
    expect(e.kind).to.equal('forward');
    expect(e.messages[0]!.source).to.equal('rfc822-headers');
    expect(e.messages[0]!.headers.filter((h) => h.name === 'received')).to.have.length(2);
  });

  it('skips a UTF-8 byte order mark before the headers', () => {
    const e = extractMessages(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(spam(2))]));
    expect(e.kind).to.equal('direct');
    expect(e.messages[0]!.headers[0]!.name).to.equal('received');
  });
});
