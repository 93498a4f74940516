import { expect } from 'chai';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { EMPTY_COMPILED_TENANCY } from '../../shared/tenancy/compile-tenancy.ts';
import { foldWord, isGreeting, normaliseText, recipientWords } from '../../shared/campaigns/normalise-text.ts';
import { hrefDomains, registrableDomain, replaceLinks } from '../../shared/campaigns/urls.ts';
import { subjectStem } from '../../shared/campaigns/subject-stem.ts';
import { shingles, signature, similarity } from '../../shared/campaigns/minhash.ts';
import { contentFeatures, type ContentFeatures } from '../../shared/campaigns/content-features.ts';
import { bucketKeys } from '../../shared/campaigns/bucket-keys.ts';
import { bestMatch, exemplarOf, matchScore, probeOf } from '../../shared/campaigns/match.ts';
import { campaignSpam, campaignText } from './campaign-mail.ts';
import { prng } from './labelled-set.ts';
import { corpusFolder } from '../helpers/corpus.ts';

const none = new Set<string>();
const features = async (raw: Buffer): Promise<ContentFeatures> => (await analyzeSubmission(raw, EMPTY_COMPILED_TENANCY)).reports[0]!.content!;

describe('campaigns: content features (pure)', () => {
  describe('normalised text', () => {
    it('folds numbers, codes and addresses, and collapses runs of folded tokens', () => {
      expect(normaliseText('Order #123-456 ref A12B9 for jo@x.example now', none)).to.deep.equal(['order', '#', 'ref', '*', 'for', 'u:mailto', 'now']);
      expect(normaliseText('Order #123456 ref Q77Z1 for mary@y.example now', none)).to.deep.equal(['order', '#', 'ref', '*', 'for', 'u:mailto', 'now']);
      expect(foldWord('3rd', none)).to.equal('*');
      expect(foldWord('1.234,56', none)).to.equal('#');
    });
    it('drops greeting lines at the top only, and the recipient\'s own name anywhere', () => {
      const rcpt = recipientWords('John Smith <john.smith@victim.example>');
      expect(isGreeting('Dear John,')).to.equal(true);
      expect(isGreeting('Hi there!')).to.equal(true);
      expect(isGreeting('John Smith,')).to.equal(true);
      expect(isGreeting('Your account will be closed today unless you act, sadly.')).to.equal(false);
      expect(normaliseText('Dear John,\n\nJohn, your parcel waits.\nAt the depot.\nDear friends of the earth unite', rcpt)).to.deep.equal(
        ['your', 'parcel', 'waits', 'at', 'the', 'depot', 'dear', 'friends', 'of', 'the', 'earth', 'unite']);
    });
    it('is total and linear on hostile text (one huge word, many joiners, control characters)', () => {
      const huge = `a${'.-'.repeat(200_000)}b ${'x'.repeat(300_000)} \u0000\u202e@@@...@`;
      const tokens = normaliseText(huge, none);
      expect(tokens.length).to.be.greaterThan(0);
      expect(replaceLinks(`${'a.b'.repeat(50_000)} http://${'x'.repeat(5000)}.com/`).text).to.be.a('string');
    });
  });

  describe('links', () => {
    it('names the registrable domain through the Public Suffix List, private suffixes included', () => {
      expect(registrableDomain('http://a.b.example.co.uk/x?u=1')).to.equal('example.co.uk');
      expect(registrableDomain('https://evil.blogspot.com/p')).to.equal('evil.blogspot.com');
      expect(registrableDomain('http://192.0.2.5/login')).to.equal('ip');
    });
    it('replaces links in text with their domain (per-recipient paths vanish) and reads HTML hrefs', () => {
      const a = replaceLinks('Claim: http://www.deals.example.com/c/9f8e7?u=alice and bit.ly/x1');
      const b = replaceLinks('Claim: https://deals.example.com/c/1a2b3?u=bob and bit.ly/zz');
      expect(normaliseText(a.text, none)).to.deep.equal(normaliseText(b.text, none));
      expect(a.domains).to.deep.equal(['example.com', 'bit.ly']);
      expect(hrefDomains('<a href="https://login.paypa1-secure.com/x">PayPal</a><a href=//cdn.example.org/i>')).to.deep.equal(['paypa1-secure.com', 'example.org']);
    });
  });

  it('stems subjects: prefixes, the recipient\'s name and fresh numbers go', () => {
    const rcpt = recipientWords('Mary Jones <mary@victim.example>');
    expect(subjectStem('Re: Fwd: Mary, your invoice #4411 is overdue', rcpt)).to.equal('your invoice # is overdue');
    expect(subjectStem('Your invoice #9302 is overdue', rcpt)).to.equal('your invoice # is overdue');
    expect(subjectStem(null, rcpt)).to.equal('');
  });

  it('MinHash similarity follows the Jaccard similarity of the shingle sets', () => {
    const r = prng(5);
    const words = Array.from({ length: 400 }, () => `w${Math.floor(r() * 5000)}`);
    const a = shingles(words);
    const b = shingles([...words.slice(0, 200), ...Array.from({ length: 200 }, () => `v${Math.floor(r() * 5000)}`)]);
    const inter = [...a].filter((x) => b.has(x)).length;
    const jaccard = inter / (a.size + b.size - inter);
    expect(similarity(signature(a), signature(b))).to.be.closeTo(jaccard, 0.15);
    expect(similarity(signature(a), signature(a))).to.equal(1);
  });

  describe('the reported message, never the wrapper', () => {
    const text = campaignText(41);
    it('reads the same features from the spam sent raw, forwarded as an attachment and inside an ARF report', async () => {
      const spam = campaignSpam(41, 0);
      const forward = Buffer.from(['From: me@victim.example', 'To: spam@reports.example', 'Subject: Fwd: junk', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
        '--b', 'Content-Type: text/plain', '', 'My own words about this junk, which must not count at all.', '--b', 'Content-Type: message/rfc822', '', spam.toString(), '--b--', ''].join('\r\n'));
      const arf = Buffer.from(['From: fbl@mailbox.example', 'Subject: complaint', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=feedback-report; boundary="a"', '',
        '--a', 'Content-Type: text/plain', '', 'An abuse report.', '--a', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'Version: 1', '',
        '--a', 'Content-Type: message/rfc822', '', spam.toString(), '--a--', ''].join('\r\n'));
      const [raw, fwd, rep] = [await features(spam), await features(forward), await features(arf)];
      expect(fwd).to.deep.equal(raw);
      expect(rep).to.deep.equal(raw);
      expect(raw.judge).to.equal('text');
    });
    it('reads an inline forward\'s spam below the block, not the reporter\'s words above it', async () => {
      const inline = Buffer.from(['From: me@victim.example', 'To: spam@reports.example', 'Subject: Fwd: offer', 'Content-Type: text/plain', '',
        'Reporter words here that are long enough to matter if they were read, which they must not be.', '',
        '---------- Forwarded message ---------', 'From: Offers <o@sender.example>', 'Date: Tue, 3 Mar 2026 09:59:50 +0000', 'Subject: offer', 'To: Alice <alice@victim.example>', '',
        text, ''].join('\r\n'));
      const f = await features(inline);
      const own = contentFeatures({ text, html: null, to: 'Alice <alice@victim.example>' }, 'offer');
      expect(f.signature).to.equal(own.signature);
    });
  });

  describe('matching', () => {
    it('joins copies to different recipients and keeps another campaign apart', async () => {
      const a0 = probeOf(await features(campaignSpam(42, 0)));
      const a1 = await features(campaignSpam(42, 3));
      const b = await features(campaignSpam(43, 1));
      expect(matchScore(a0, exemplarOf('1', a1))).to.be.greaterThan(0.6);
      expect(matchScore(a0, exemplarOf('2', b))).to.equal(0);
      expect(bestMatch(a0, [exemplarOf('2', b), exemplarOf('1', a1)])?.campaignId).to.equal('1');
      // The candidate keys of two copies meet in at least one bucket.
      const ka = new Set(bucketKeys(a0.features).map((k) => k.key));
      expect(bucketKeys(a1).some((k) => ka.has(k.key))).to.equal(true);
    });
    it('matches short content only exactly, and content without a body never', () => {
      const short = contentFeatures({ text: 'click here now http://x1.example.com/a', html: null, to: null }, 'hello there friend');
      const same = contentFeatures({ text: 'click here now http://x1.example.com/b', html: null, to: null }, 'hello there friend');
      const other = contentFeatures({ text: 'click here now http://x2.example.net/b', html: null, to: null }, 'hello there friend');
      expect(short.judge).to.equal('short');
      expect(matchScore(probeOf(short), exemplarOf('1', same))).to.equal(1);
      expect(matchScore(probeOf(short), exemplarOf('1', other))).to.equal(0);
      const empty = contentFeatures({ text: '', html: null, to: null }, 'hi');
      expect(empty.judge).to.equal('none');
      expect(bucketKeys(empty)).to.deep.equal([]);
    });
  });

  it('gives every corpus message (spam, ham, hostile, ARF, DSN) a result without throwing', async function () {
    this.timeout(60_000);
    let n = 0;
    for (const folder of ['spam', 'ham', 'arf', 'x-arf', 'mime', 'dsn', 'auto-reply']) {
      for (const [name, raw] of corpusFolder(folder)) {
        const a = await analyzeSubmission(raw, EMPTY_COMPILED_TENANCY);
        for (const r of a.reports) expect(r.content, name).to.have.property('judge');
        n++;
      }
    }
    expect(n).to.be.greaterThan(100);
  });
});
