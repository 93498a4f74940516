import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFile, corpusFolder } from '../helpers/corpus.ts';
import { testConfig } from '../helpers/config.ts';
import { findReplies } from '../../shared/sender/reply-lines.ts';
import { readBounceMessage, readPastedBounce } from '../../shared/sender/read-bounce.ts';
import { codeMatcher } from '../../shared/sender/match-code.ts';
import { explainFindings } from '../../shared/sender/explain-bounce.ts';
import { loadSenderCodes, parseSenderCodes, type SenderCode } from '../../api/sender/sender-codes-file.ts';
import { lookupView } from '../../api/reputation/lookup-view.ts';
import { isAppError } from '../../shared/errors/app-error.ts';

const codes = loadSenderCodes();
const match = codeMatcher(codes);
/** The explained codes of a bounce file from the corpus: code → the entry's English title (or null). */
function explainFile(rel: string): Map<string, { title: string | null; listing: boolean; ips: string[] }> {
  const read = readBounceMessage(corpusFile(rel));
  return new Map(explainFindings<SenderCode>(read.findings, match).map((c) => [c.code, { title: c.entry?.title.en ?? null, listing: c.entry?.listing ?? false, ips: c.ips }]));
}

describe('sender portal: why was my mail rejected (pure explainer)', () => {
  describe('our own rejection line', () => {
    // The exact line our MTA lookup hands out (api/reputation/lookup-view.ts), not a copy of it.
    const view = lookupView(testConfig({ PUBLIC_URL: 'https://abuse.example.net' }), '203.0.113.9', { s: 6, u: Date.now(), l: { at: Date.now(), r: ['score 6 ≥ 5 from 3 distinct reporters'] } }, Date.now());
    const line = view.smtpResponse!;

    it('finds 5.7.606, the reply code and the listed IP, and explains it as our blocklist', () => {
      const [f, ...rest] = findReplies(line);
      expect(rest).to.deep.equal([]);
      expect(f).to.include({ status: '5.7.606', reply: '550', ip: '203.0.113.9' });
      expect(f!.text).to.equal(line);
      const entry = match(f!);
      expect(entry?.code).to.equal('5.7.6xx');
      expect(entry?.listing).to.equal(true);
    });

    it('finds it the same way quoted by other MTAs (Exchange, Diagnostic-Code, Postfix, IPv6)', () => {
      for (const text of [
        `Remote Server returned '${line}'`,
        `Diagnostic-Code: smtp; ${line}`,
        `<sender@example.org>: host mx.platform.example[198.51.100.2] said: ${line} (in reply to RCPT TO command)`,
        '550 5.7.606 Access denied, banned sending IP [2001:db8::7]. To request removal, visit https://x/sender/delist?ip=2001%3Adb8%3A%3A7',
      ]) {
        const found = findReplies(text);
        expect(found, text).to.have.length(1);
        expect(found[0]!.status).to.equal('5.7.606');
        expect(found[0]!.ip, text).to.equal(text.includes('2001:db8::7') ? '2001:db8::7' : '203.0.113.9');
      }
    });
  });

  describe('real bounces from the corpus (test/fixtures/corpus/dsn/sisimai)', () => {
    const cases: [string, string, RegExp][] = [
      ['lhost-postfix-01.eml', '5.1.1', /does not exist/],
      ['rfc3464-01.eml', '5.1.1', /does not exist/],
      ['lhost-office365-13.eml', '5.1.10', /does not exist/],
      ['lhost-outlook-01.eml', '5.2.2', /mailbox is full/],
      ['lhost-powermta-01.eml', '5.2.1', /disabled/],
      ['lhost-barracuda-01.eml', '5.7.1', /looked like spam/],
      ['lhost-sendmail-20.eml', '5.4.6', /could not be reached/],
      ['rhost-yahooinc-01.eml', '5.7.9', /policy/],
      ['rfc3464-55.eml', '4.4.1', /could not be reached/],
      ['lhost-mcafee-01.eml', '550', /Permanent failure/],
    ];
    for (const [file, code, title] of cases) {
      it(`${file}: ${code} — ${title.source}`, () => {
        const got = explainFile(`dsn/sisimai/${file}`);
        expect(got.has(code), `codes found: ${[...got.keys()].join(', ')}`).to.equal(true);
        expect(got.get(code)!.title).to.match(title);
      });
    }

    it('rhost-microsoft-01.eml: 5.7.606 with the rejected IP, and the other rejections of the same bounce', () => {
      const got = explainFile('dsn/sisimai/rhost-microsoft-01.eml');
      expect(got.get('5.7.606')).to.deep.include({ listing: true, ips: ['198.51.100.222'] });
      expect([...got.keys()]).to.include.members(['5.7.606', '5.1.1']);
    });

    it('reads every DSN of the corpus without throwing, each a delivery report, most with a code explained', () => {
      const files = corpusFolder('dsn');
      let explained = 0;
      for (const [name, raw] of files) {
        const read = readBounceMessage(raw);
        expect(read.dsn, `${name} is a delivery report to the analysis core`).to.be.a('string');
        const codesOf = explainFindings<SenderCode>(read.findings, match);
        if (codesOf.some((c) => c.entry)) explained++;
        for (const c of codesOf) expect(c.replies.length, name).to.be.at.most(3);
      }
      expect(files.length).to.be.greaterThan(30);
      expect(explained / files.length).to.be.greaterThan(0.85);
    });

    it('a pasted bounce source is read like the uploaded file', () => {
      const raw = corpusFile('dsn/sisimai/lhost-outlook-01.eml').toString('utf8');
      const pasted = readPastedBounce(raw);
      expect(pasted.dsn).to.be.a('string');
      expect(pasted.findings.map((f) => f.status)).to.include('5.2.2');
    });
  });

  describe('standard codes in pasted text', () => {
    const titleOf = (text: string) => {
      const [c] = explainFindings<SenderCode>(findReplies(text), match);
      return c?.entry?.title.en ?? null;
    };
    it('tells SPF, DKIM, DMARC, relaying and content apart on one 5.7.1 by its words', () => {
      expect(titleOf('550 5.7.1 SPF check failed for 192.0.2.1')).to.equal('Refused because of SPF');
      expect(titleOf('550 5.7.1 message rejected: no valid DKIM signature')).to.equal('Refused because of DKIM');
      expect(titleOf('550 5.7.1 Unauthenticated email is not accepted due to DMARC policy')).to.equal('Refused because of DMARC');
      expect(titleOf('550 5.7.1 Relaying denied')).to.equal('Relaying denied');
      expect(titleOf('550 5.7.1 Message content rejected, UBE')).to.equal('The message looked like spam');
      expect(titleOf('550 5.7.1 Delivery not authorized')).to.equal('Refused by the receiver\'s policy');
    });
    it('explains the codes a sender meets most', () => {
      expect(titleOf('550 5.7.23 SPF validation failed')).to.equal('SPF check failed');
      expect(titleOf('550 5.7.26 This mail has been blocked because the sender is unauthenticated.')).to.match(/DMARC/);
      expect(titleOf('550 5.7.509 Access denied, sending domain example.org does not pass DMARC verification')).to.match(/DMARC policy/);
      expect(titleOf('452 4.2.2 The email account that you tried to reach is over quota')).to.match(/full \(for now\)/);
      expect(titleOf('450 4.2.1 The user you are trying to contact is receiving mail too quickly')).to.match(/too fast/);
      expect(titleOf('421 4.7.0 Try again later, closing connection')).to.match(/rate limit/);
      expect(titleOf('550 5.7.705 Access denied, tenant has exceeded threshold')).to.match(/too much unwanted/);
      expect(titleOf('552 5.3.4 Message size exceeds fixed maximum message size')).to.match(/too large/);
      expect(titleOf('552 5.2.3 Message exceeds local size limit')).to.match(/larger than the recipient accepts/);
      expect(titleOf('550 5.4.1 Recipient address rejected: Access denied')).to.match(/access denied/);
      expect(titleOf('421 Service not available')).to.equal('Temporary failure');
    });
    it('does not take IP addresses or version numbers for codes', () => {
      expect(findReplies('Received: from [10.5.1.1] (192.0.2.5) by mx version 10.4.1.2')).to.deep.equal([]);
      expect(findReplies('nothing to see here')).to.deep.equal([]);
    });
  });

  describe('hostile input', () => {
    it('is total: any string gives a bounded answer, quickly', () => {
      const inputs = [
        '', '\u0000'.repeat(10_000), '5.5.5.'.repeat(200_000), `550 ${'5.7.1 '.repeat(100_000)}`,
        `${'a'.repeat(2_000_000)} 550 5.7.606 [203.0.113.1]`, 'Diagnostic-Code: smtp;\n'.repeat(50_000), '[' + ':'.repeat(100_000) + ']',
      ];
      for (const input of inputs) {
        const started = Date.now();
        const found = findReplies(input);
        expect(found.length).to.be.at.most(10);
        for (const f of found) expect(f.text.length).to.be.at.most(500);
        expect(Date.now() - started, `${input.slice(0, 20)}…`).to.be.below(2000);
      }
      expect(findReplies(undefined as unknown as string)).to.deep.equal([]);
    });
    it('reads a broken message without throwing', () => {
      for (const raw of ['Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n', 'From: a\n\n\u00ff\u00fe', '']) {
        expect(() => readBounceMessage(Buffer.from(raw))).to.not.throw();
      }
      expect(readBounceMessage(Buffer.from('Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a\n\nStatus: 5.1.1\n')).findings[0]?.status).to.equal('5.1.1');
    });
  });

  describe('the codes file (SENDER_CODES_FILE)', () => {
    it('the example has every text in English and Italian and covers our own code', () => {
      for (const c of codes) for (const k of ['title', 'meaning', 'action'] as const) expect(c[k].it.trim(), `${c.code} ${k}`).to.not.equal('');
      expect(codes.filter((c) => c.listing).map((c) => c.code)).to.deep.equal(['5.7.6xx']);
    });
    it('a broken file stops the start with the file, the line and the field', () => {
      const dir = mkdtempSync(join(tmpdir(), 'sender-codes-'));
      const file = join(dir, 'codes.yaml');
      writeFileSync(file, 'codes:\n  - code: "5.1.1"\n    title: {en: Unknown}\n    meaning: {en: a, it: b}\n    action: {en: a, it: b}\n  - code: "9.9.9"\n    title: {en: a, it: b}\n    meaning: {en: a, it: b}\n    action: {en: a, it: b}\n');
      try {
        loadSenderCodes(file);
        expect.fail('loaded a broken file');
      } catch (err) {
        expect(isAppError(err) && err.code).to.equal('config_invalid');
        expect((err as Error).message).to.contain(`${file}:3 codes[0].title.it`).and.contain(`${file}:6 codes[1].code`);
      }
      expect(() => parseSenderCodes('codes: [\n', 'x.yaml')).to.throw(/x\.yaml:\d+: not valid YAML/);
      expect(() => loadSenderCodes(join(dir, 'missing.yaml'))).to.throw(/cannot read .*missing\.yaml: ENOENT/);
      expect(() => parseSenderCodes('codes:\n  - {code: "5.1.1", title: {en: a, it: b}, meaning: {en: a, it: b}, action: {en: a, it: b}}\n  - {code: "5.1.1", title: {en: a, it: b}, meaning: {en: a, it: b}, action: {en: a, it: b}}\n', 'd.yaml')).to.throw(/d\.yaml:3 codes\[1\]\.code: same code and words as codes\[0\]/);
    });
  });
});
