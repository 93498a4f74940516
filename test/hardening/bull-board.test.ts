import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createUser } from '../../shared/users/users.ts';
import { selfHostedTemplate } from '../../api/ops/bull-board-page.ts';
import { useTestService } from '../helpers/service.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { Browserless } from '../analyst/ui-login.ts';

const PASSWORD = 'correct horse battery';
/** A URL on another origin in an attribute or CSS `url()`: `https://…`, `//…`. */
const FOREIGN = /(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)(?:[a-z][a-z0-9+.-]*:)?\/\//i;

describe('Bull Board is served entirely from the service', () => {
  it('rewrites the installed Bull Board template: no other origin, the fonts from our own path', () => {
    const dir = dirname(createRequire(import.meta.url).resolve('@bull-board/ui/package.json'));
    const original = readFileSync(join(dir, 'dist/index.ejs'), 'utf8');
    expect(original, 'the template this guards against').to.match(FOREIGN);
    const page = selfHostedTemplate(original);
    expect(page).not.to.match(FOREIGN);
    expect(page).to.include('<link href="fonts/ibm-plex-sans/400.css" rel="stylesheet">');
    expect(page).to.include('<link href="fonts/ibm-plex-mono/500.css" rel="stylesheet">');
    expect(() => selfHostedTemplate('<head></head><body><script src="https://cdn.example/x.js"></script></body>')).to.throw(/another origin/);
  });

  describe('over HTTP and in a browser', () => {
    const t = useTestService({ ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-board` });
    beforeEach(() => createUser(t.ds, 'admin@example.test', 'admin', PASSWORD));

    it('answers with a CSP naming no other origin, a page naming none, and the fonts it links', async () => {
      const b = new Browserless(t.svc.url);
      expect((await b.login('admin@example.test', PASSWORD)).status).to.equal(303);
      const res = await b.fetch('/admin/queues');
      expect(res.status).to.equal(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
      expect(directives['default-src']).to.deep.equal(["'self'"]);
      expect(directives['font-src']).to.deep.equal(["'self'"]);
      expect(directives['script-src']).to.deep.equal(["'self'"]);
      expect(csp).not.to.match(/https?:|\*|data:\s*;?\s*font/);
      const page = await res.text();
      expect(page).not.to.match(FOREIGN);
      const css = await b.fetch('/admin/queues/fonts/ibm-plex-sans/400.css');
      expect(css.status).to.equal(200);
      const cssText = await css.text();
      expect(cssText).not.to.match(FOREIGN);
      const font = /url\(\.\/(files\/ibm-plex-sans-latin-400-normal\.woff2)\)/.exec(cssText)![1]!;
      const file = await b.fetch(`/admin/queues/fonts/ibm-plex-sans/${font}`);
      expect(file.status).to.equal(200);
      expect(file.headers.get('content-type')).to.equal('font/woff2');
      // Still an admin page: signed out, the fonts and the board are not served.
      expect((await fetch(`${t.svc.url}/admin/queues/fonts/ibm-plex-sans/400.css`, { redirect: 'manual' })).status).to.equal(303);
    });

    it('loads in a browser without a single request leaving the service, and renders with its fonts', async function () {
      this.timeout(60_000);
      const browser = await launchBrowser(this);
      try {
        const page = await browser.newPage();
        const origin = new URL(t.svc.url).origin;
        const elsewhere: string[] = [];
        const violations: string[] = [];
        page.on('request', (req) => {
          const url = new URL(req.url());
          if (url.protocol !== 'data:' && url.origin !== origin) elsewhere.push(req.url());
        });
        page.on('console', (msg) => {
          if (/Content[- ]Security[- ]Policy/i.test(msg.text())) violations.push(msg.text());
        });
        await page.goto(`${t.svc.url}/login`);
        await page.fill('input[name=email]', 'admin@example.test');
        await page.fill('input[name=password]', PASSWORD);
        await Promise.all([page.waitForURL(`${t.svc.url}/`), page.click('button[type=submit]')]);
        await page.goto(`${t.svc.url}/admin/queues`, { waitUntil: 'networkidle' });
        await page.getByText('submissions').first().waitFor();
        const fonts = await page.evaluate(async () => {
          await document.fonts.ready;
          return [document.fonts.check('16px "IBM Plex Sans"'), [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family)];
        });
        expect(elsewhere).to.deep.equal([]);
        expect(violations).to.deep.equal([]);
        expect(fonts[0]).to.equal(true);
        expect(fonts[1]).to.include('IBM Plex Sans');
      } finally {
        await browser.close();
      }
    });
  });
});
