import { expect } from 'chai';
import { html } from '../../api/web/html.ts';
import { translator } from '../../api/web/i18n/catalog.ts';
import { richText } from '../../api/web/i18n/rich-text.ts';
import { sizeInWords } from '../../api/webform/report-words.ts';

describe('translated sentences with markup inside (api/web/i18n/rich-text.ts)', () => {
  it('puts the markup where each language has its placeholder', () => {
    const markup = { email: html`<strong>${'a@example.org'}</strong>` };
    expect(String(richText(translator('en', 'reporters'), 'mailed.text', markup))).to.equal('We sent a link to <strong>a@example.org</strong>. It works once, for 24 hours.');
    expect(String(richText(translator('it', 'reporters'), 'mailed.text', markup))).to.equal('Abbiamo inviato un link a <strong>a@example.org</strong>. Vale una volta sola, per 24 ore.');
  });

  it('escapes the words and the values: neither a translation nor a visitor adds markup', () => {
    const visitor = '<img src=x onerror=alert(1)>@example.org';
    const out = String(richText(translator('en', 'reporters'), 'mailed.text', { email: html`<strong>${visitor}</strong>` }));
    expect(out).to.include('<strong>&lt;img src=x onerror=alert(1)&gt;@example.org</strong>').and.not.include('<img');
    // A translator's stray markup is text, and an unknown placeholder name prints nothing.
    const t = ((key: string, o: Record<string, string>) => (key === 'x' ? `<b>bold</b> ${o.known} ${'\u0000unknown\u0000'}` : key)) as unknown as Parameters<typeof richText>[0];
    expect(String(richText(t, 'x', { known: html`<em>ok</em>` }))).to.equal('&lt;b&gt;bold&lt;/b&gt; <em>ok</em> ');
  });

  it('words sizes per language', () => {
    expect(sizeInWords(25 * 1024 * 1024, 'en')).to.equal('25 MB');
    expect(sizeInWords(1.5 * 1024 * 1024, 'en')).to.equal('1.5 MB');
    expect(sizeInWords(1.5 * 1024 * 1024, 'it')).to.equal('1,5 MB');
    expect(sizeInWords(65_536, 'it')).to.equal('64 KB');
    expect(sizeInWords(1, 'en')).to.equal('1 byte');
    expect(sizeInWords(10, 'en')).to.equal('10 bytes');
  });
});
