import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { readCatalog, translator, NAMESPACES } from '../../api/web/i18n/catalog.ts';
import { LANGUAGES } from '../../api/web/i18n/languages.ts';
import { chooseLanguage, languageMiddleware } from '../../api/web/i18n/choose-language.ts';
import { languageSwitchRoutes, safeReturnPath } from '../../api/web/i18n/language-switch.ts';

/** Every leaf key of a nested translation object, as dotted paths, with the {{placeholders}} it uses. */
function leaves(node: unknown, prefix = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (typeof node === 'string') {
    out.set(prefix, [...node.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!).sort());
    return out;
  }
  if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) for (const [path, vars] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(path, vars);
  }
  return out;
}

/** i18next plural forms differ by language (it has _many in some versions): compare plural bases. */
function pluralBase(key: string): string {
  return key.replace(/_(zero|one|two|few|many|other)$/, '');
}

describe('translations (api/web/i18n)', () => {
  const catalog = readCatalog();

  it('every namespace exists in every language', () => {
    for (const lang of LANGUAGES) expect(Object.keys(catalog[lang] ?? {}).sort(), lang).to.deep.equal([...NAMESPACES].sort());
  });

  for (const ns of NAMESPACES) {
    it(`${ns}: every key exists in every language, with the same placeholders, and none is empty`, () => {
      const byLang = LANGUAGES.map((lang) => [lang, leaves(catalog[lang]![ns])] as const);
      const [, reference] = byLang[0]!;
      for (const [lang, keys] of byLang) {
        const base = new Set([...reference.keys()].map(pluralBase));
        const here = new Set([...keys.keys()].map(pluralBase));
        expect([...base].filter((k) => !here.has(k)), `keys missing in ${lang}/${ns}.json`).to.deep.equal([]);
        expect([...here].filter((k) => !base.has(k)), `keys only in ${lang}/${ns}.json`).to.deep.equal([]);
        for (const [key, vars] of keys) {
          const refVars = reference.get(key) ?? reference.get(`${pluralBase(key)}_other`) ?? [];
          expect(vars.filter((v) => v !== 'count'), `${lang}/${ns}.json ${key} placeholders`).to.deep.equal(refVars.filter((v) => v !== 'count'));
        }
        for (const [key] of keys) {
          const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], catalog[lang]![ns]);
          expect(String(value).trim(), `${lang}/${ns}.json ${key} is empty`).to.not.equal('');
        }
      }
    });
  }

  it('translates by language and interpolates without escaping (pages escape)', () => {
    expect(translator('en', 'common')('languageSwitchLabel')).to.equal('Language');
    expect(translator('it', 'common')('languageSwitchLabel')).to.equal('Lingua');
    expect(() => translator('en', 'no-such-namespace')).to.throw(/no translation namespace/);
  });

  it('keeps the way back on this site', () => {
    expect(safeReturnPath('/sender?ip=1.2.3.4')).to.equal('/sender?ip=1.2.3.4');
    for (const bad of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/x\r\nSet-Cookie: a=b', undefined, ['/a']]) {
      expect(safeReturnPath(bad), String(bad)).to.equal('/');
    }
  });

  describe('over HTTP', () => {
    let base: string;
    let close: () => void;
    before(async () => {
      const app = express();
      app.use(languageSwitchRoutes());
      app.get('/which', languageMiddleware(), (_req, res) => {
        res.send(String(res.locals.lang));
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => server.close();
    });
    after(() => close());

    it('follows Accept-Language, else English', async () => {
      const ask = async (h: Record<string, string>) => (await fetch(`${base}/which`, { headers: h })).text();
      expect(await ask({ 'accept-language': 'it-IT,it;q=0.9,en;q=0.8' })).to.equal('it');
      expect(await ask({ 'accept-language': 'de-DE,en;q=0.5' })).to.equal('en');
      expect(await ask({ 'accept-language': 'fr' })).to.equal('en');
      expect(await ask({})).to.equal('en');
    });

    it('remembers the switch in a cookie that beats Accept-Language, and says caches must vary', async () => {
      const res = await fetch(`${base}/language?lang=it&next=${encodeURIComponent('/sender?x=1')}`, { redirect: 'manual' });
      expect(res.status).to.equal(303);
      expect(res.headers.get('location')).to.equal('/sender?x=1');
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).to.match(/^lang=it;/).and.match(/HttpOnly/i).and.match(/SameSite=Lax/i).and.match(/Max-Age=/i);
      const page = await fetch(`${base}/which`, { headers: { cookie: 'lang=it', 'accept-language': 'en' } });
      expect(await page.text()).to.equal('it');
      expect(page.headers.get('vary')).to.match(/Accept-Language/).and.match(/Cookie/);
      const unknownCookie = await fetch(`${base}/which`, { headers: { cookie: 'lang=xx', 'accept-language': 'it' } });
      expect(await unknownCookie.text()).to.equal('it');
    });

    it('refuses an unknown language and an off-site way back', async () => {
      const bad = await fetch(`${base}/language?lang=xx`, { redirect: 'manual' });
      expect(bad.status).to.equal(400);
      expect(await bad.text()).to.match(/en, it/);
      const offsite = await fetch(`${base}/language?lang=en&next=//evil.example/`, { redirect: 'manual' });
      expect(offsite.headers.get('location')).to.equal('/');
    });
  });

  it('chooseLanguage reads the cookie header without cookie-parser', () => {
    const req = { headers: { cookie: 'a=b; lang=it' }, acceptsLanguages: () => false } as never;
    expect(chooseLanguage(req)).to.equal('it');
  });
});
