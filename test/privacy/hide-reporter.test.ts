import { expect } from 'chai';
import { hideInText, hideInWrapper, reporterAddresses } from '../../shared/privacy/hide-reporter.ts';
import { pseudonymise } from '../../shared/privacy/pseudonym.ts';

const key = Buffer.from('unit-test-key-0123456789');
const P = (a: string) => pseudonymise(key, a);

describe('hiding the reporter\'s address (shared/privacy/hide-reporter.ts)', () => {
  it('finds the reporter: plain stored identities, addresses whose pseudonym is stored, a wrapper\'s author fields', () => {
    const raw = Buffer.from('From: Ann <Ann@Home.example>\r\nTo: spam@reports.example\r\nCc: bob@work.example\r\n\r\nhi carol@x.example\r\n');
    const hidden = reporterAddresses({ raw, wrapped: true, stored: ['dave@plain.example', P('carol@x.example'), null], key });
    expect([...hidden.keys()].sort()).to.deep.equal(['ann@home.example', 'carol@x.example', 'dave@plain.example']);
    expect(hidden.get('carol@x.example')).to.equal(P('carol@x.example'));
    // A direct submission has no wrapper: its From is the spammer, not the reporter.
    expect([...reporterAddresses({ raw, wrapped: false, stored: [], key }).keys()]).to.deep.equal([]);
  });

  it('replaces whole addresses only, in any case', () => {
    const hidden = new Map([['ann@home.example', 'pseud:1']]);
    expect(hideInText('ANN@home.example, xann@home.example, ann@home.example.org, ann@home.examples, <ann@home.example>.', hidden))
      .to.equal('pseud:1, xann@home.example, ann@home.example.org, ann@home.examples, <pseud:1>.');
  });

  it('leaves every message/* and headers-only part byte-exact, however deep in the wrapper', () => {
    const inner = 'From: x@spam.example\r\nTo: ann@home.example\r\n\r\nann@home.example\r\n';
    const raw = Buffer.from([
      'From: ann@home.example', 'Content-Type: multipart/report; report-type=feedback-report; boundary="a"', '',
      '--a', 'Content-Type: multipart/alternative; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'by ann@home.example', '--b--', '',
      '--a', 'Content-Type: message/rfc822', '', inner, '--a', 'Content-Type: text/rfc822-headers', '', 'To: ann@home.example', '', '--a--', '',
    ].join('\r\n'));
    const out = hideInWrapper(raw, new Map([['ann@home.example', 'pseud:1']])).toString('latin1');
    expect(out).to.include(inner);
    expect(out).to.include('--a\r\nContent-Type: text/rfc822-headers\r\n\r\nTo: ann@home.example');
    expect(out.startsWith('From: pseud:1\r\n')).to.equal(true);
    expect(out).to.include('by pseud:1');
  });

  it('rewrites only the top header section when the MIME structure cannot be read in full', () => {
    const parts = Array.from({ length: 2100 }, (_, i) => `--z\r\nContent-Type: text/plain\r\n\r\npart ${i} ann@home.example\r\n`).join('');
    const raw = Buffer.from(`From: ann@home.example\r\nContent-Type: multipart/mixed; boundary="z"\r\n\r\n${parts}--z--\r\n`);
    const out = hideInWrapper(raw, new Map([['ann@home.example', 'pseud:1']])).toString('latin1');
    expect(out.startsWith('From: pseud:1\r\n')).to.equal(true);
    expect(out).to.include('part 0 ann@home.example');
  });

  it('returns the message itself when there is nothing to hide', () => {
    const raw = Buffer.from('From: a@b.example\r\n\r\nx');
    expect(hideInWrapper(raw, new Map())).to.equal(raw);
  });
});
