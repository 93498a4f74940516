import { expect } from 'chai';
import { extractMessages } from '../../../shared/analysis/message/extract-messages.ts';
import { corpusFolder, corpusFile } from '../../helpers/corpus.ts';

/**
 * Every corpus message classifies as the kind its folder (and the MANIFEST's variant table) says.
 * One `it` per folder; the failure message lists every file that disagrees, not just the first.
 */
function kindsOf(folder: string): Map<string, string> {
  return new Map(corpusFolder(folder).map(([path, bytes]) => [path, extractMessages(bytes).kind]));
}

function mismatches(kinds: Map<string, string>, expected: (path: string) => string): string[] {
  return [...kinds].filter(([path, kind]) => kind !== expected(path)).map(([path, kind]) => `${path}: ${kind}, expected ${expected(path)}`);
}

/** The ARF folder's look-alikes (MANIFEST "ARF variants"): Microsoft JMRP and an Apple Mail unsubscribe. */
const ARF_LOOKALIKES: Record<string, string> = {
  'arf/sisimai/arf-22.eml': 'forward',
  'arf/sisimai/arf-23.eml': 'forward',
  'arf/sisimai/arf-24.eml': 'forward',
  'arf/sisimai/arf-26.eml': 'auto-reply',
};

/**
 * Spam / ham that are forwards by structure (a message/rfc822 attachment), decided by structure as
 * docs/extraction.md says. yand_forward ("Fwd: 123", no attachment, no inline block: a server-side
 * redirect) stays direct.
 */
const SPAM_HAM_FORWARDS: Record<string, string> = {
  'spam/rspamd/alternative-nested-rfc822.eml': 'forward',
  'ham/spamassassin/mime9.eml': 'forward',
};

describe('extraction: corpus classification', () => {
  it('classifies every ARF sample as arf with its Feedback-Type, the look-alikes as what they are', () => {
    const files = corpusFolder('arf');
    expect(files.length).to.equal(52);
    const wrong: string[] = [];
    for (const [path, bytes] of files) {
      const e = extractMessages(bytes);
      const want = ARF_LOOKALIKES[path] ?? 'arf';
      if (e.kind !== want) wrong.push(`${path}: ${e.kind}, expected ${want}`);
      if (want === 'arf') {
        const declared = /^feedback-type:\s*(\S+)/im.exec(bytes.toString('latin1'))?.[1]?.toLowerCase();
        if (e.messages.length !== 1 || e.messages[0]!.arf?.feedbackType !== declared) {
          wrong.push(`${path}: feedbackType ${e.messages[0]?.arf?.feedbackType}, file says ${declared}`);
        }
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('reads the JMRP look-alikes as forwards with feedback type abuse from Microsoft JMRP', () => {
    for (const name of ['arf-22', 'arf-23', 'arf-24']) {
      const e = extractMessages(corpusFile(`arf/sisimai/${name}.eml`));
      expect(e.messages).to.have.length(1);
      const m = e.messages[0]!;
      expect(m.source).to.equal('attachment');
      expect(m.arf?.feedbackType).to.equal('abuse');
      expect(m.arf?.userAgent).to.equal('Microsoft JMRP');
      expect(m.notes.join(' ')).to.contain('JMRP');
      expect(e.wrapper?.from).to.contain('staff@hotmail.com');
    }
  });

  it('classifies the postal-mime fixtures by structure', () => {
    const kinds = kindsOf('mime');
    expect(Object.fromEntries(kinds)).to.deep.equal({
      'mime/postal-mime/arf.eml': 'arf',
      'mime/postal-mime/bounce.eml': 'dsn',
      'mime/postal-mime/calendar-event.eml': 'direct',
      'mime/postal-mime/mimetorture.eml': 'forward',
      'mime/postal-mime/mixed.eml': 'direct',
    });
  });

  it('classifies every X-ARF sample as xarf', () => {
    const kinds = kindsOf('x-arf');
    expect(kinds.size).to.equal(11);
    expect(mismatches(kinds, () => 'xarf')).to.deep.equal([]);
  });

  it('classifies every bounce as dsn, with zero messages and a reason', () => {
    const files = corpusFolder('dsn');
    expect(files.length).to.equal(42);
    for (const [path, bytes] of files) {
      const e = extractMessages(bytes);
      expect(e.kind, path).to.equal('dsn');
      expect(e.messages, path).to.deep.equal([]);
      expect(e.reason, path).to.be.a('string').and.not.equal('');
    }
  });

  it('classifies every auto-reply as auto-reply, with zero messages', () => {
    const files = corpusFolder('auto-reply');
    expect(files.length).to.equal(6);
    for (const [path, bytes] of files) {
      const e = extractMessages(bytes);
      expect(e.kind, path).to.equal('auto-reply');
      expect(e.messages, path).to.deep.equal([]);
    }
  });

  it('classifies spam as direct (never dsn or auto-reply), forwards by structure excepted', () => {
    const kinds = kindsOf('spam');
    expect(kinds.size).to.equal(82);
    expect(mismatches(kinds, (p) => SPAM_HAM_FORWARDS[p] ?? 'direct')).to.deep.equal([]);
  });

  it('classifies ham as direct (never dsn or auto-reply), forwards by structure excepted', () => {
    const kinds = kindsOf('ham');
    expect(kinds.size).to.equal(30);
    expect(mismatches(kinds, (p) => SPAM_HAM_FORWARDS[p] ?? 'direct')).to.deep.equal([]);
  });

  it('gives a direct message the whole submission as its one reported message', () => {
    const bytes = corpusFile('spam/spamassassin/001.eml');
    const e = extractMessages(bytes);
    expect(e.kind).to.equal('direct');
    expect(e.wrapper).to.equal(null);
    expect(e.messages).to.have.length(1);
    expect(e.messages[0]!.source).to.equal('self');
    expect(e.messages[0]!.raw).to.equal(bytes);
    expect(e.messages[0]!.headers.filter((h) => h.name === 'received').length).to.be.greaterThan(0);
  });
});
