import { expect } from 'chai';
import { csvCell } from '../../api/analyst/report-export.ts';
import { bearer, useTestService } from '../helpers/service.ts';
import { hoursAgo, seedReport } from './seed-reports.ts';

/**
 * CSV export (issue 12.14): a cell whose first non-blank character is = + - @ opens as a formula in a
 * spreadsheet, and spreadsheets skip leading blanks — TAB, CR, LF, NBSP and other Unicode spaces —
 * before they look. Every trigger and every blank is tested on its own, so dropping any one of them
 * from the neutraliser fails a test.
 */
const TRIGGERS = ['=', '+', '-', '@'] as const;
const BLANKS: Record<string, string> = {
  TAB: '\t', CR: '\r', LF: '\n', 'CR LF': '\r\n', space: ' ', VT: '\v', FF: '\f', NBSP: '\u00a0', NEL: '\u0085',
  'en quad': '\u2000', 'em space': '\u2003', 'thin space': '\u2009', 'narrow NBSP': '\u202f', 'ideographic space': '\u3000',
  'line separator': '\u2028', 'zero-width space': '\u200b', 'word joiner': '\u2060', BOM: '\ufeff', 'several mixed': ' \t\u00a0\r\n\u3000',
};
const defused = (s: string) => `"'${s.replace(/"/g, '""')}"`;
const kept = (s: string) => `"${s.replace(/"/g, '""')}"`;

describe('CSV export neutralises formulas (issue 12.14)', () => {
  describe('csvCell', () => {
    for (const t of TRIGGERS) {
      it(`defuses a cell starting with ${t}`, () => {
        expect(csvCell(`${t}1+2`)).to.equal(defused(`${t}1+2`));
      });
      for (const [name, blank] of Object.entries(BLANKS)) {
        it(`defuses ${t} after ${name}`, () => {
          expect(csvCell(`${blank}${t}cmd|' /C calc'!A0`)).to.equal(defused(`${blank}${t}cmd|' /C calc'!A0`));
        });
      }
    }

    it('defuses a cell starting with TAB or CR even without a trigger after it', () => {
      expect(csvCell('\tplain')).to.equal(defused('\tplain'));
      expect(csvCell('\rplain')).to.equal(defused('\rplain'));
    });

    it('leaves text alone when the trigger is not the first non-blank character', () => {
      for (const s of ['plain subject', ' hello = world', 'a=b', 'x@y.example', '\u00a0Re: offer -50%', '1+1', '']) {
        expect(csvCell(s), JSON.stringify(s)).to.equal(kept(s));
      }
      expect(csvCell(null)).to.equal('');
      expect(csvCell(7)).to.equal('"7"');
    });
  });

  describe('GET /v1/reports/export?format=csv', () => {
    const t = useTestService({ ROLES: 'api' });

    it('defuses every trigger after every blank in attacker-written subjects and addresses, end to end', async () => {
      const subjects: string[] = [];
      for (const trigger of TRIGGERS) for (const blank of ['', ...Object.values(BLANKS)]) subjects.push(`${blank}${trigger}HYPERLINK("http://evil.example")`);
      for (const [i, subject] of subjects.entries()) await seedReport(t.ds, { subject, from: `\u00a0@evil${i}@x.example`, receivedAt: hoursAgo(i + 1) });
      await seedReport(t.ds, { subject: 'plain subject', from: 'a@b.example', receivedAt: hoursAgo(0.5) });
      const res = await fetch(`${t.svc.url}/v1/reports/export?format=csv`, { headers: { authorization: await bearer(t.ds, 'analyst') } });
      expect(res.status).to.equal(200);
      const body = await res.text();
      for (const [i, subject] of subjects.entries()) {
        expect(body, JSON.stringify(subject)).to.include(`,${defused(subject)},`);
        expect(body).to.include(defused(`\u00a0@evil${i}@x.example`));
      }
      expect(body).to.include(`,${kept('plain subject')},`);
    });
  });
});
