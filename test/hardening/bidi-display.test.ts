import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { createUser } from '../../shared/users/users.ts';
import { revealInvisible } from '../../api/web/reveal-invisible.ts';
import { html } from '../../api/web/html.ts';
import { useTestService } from '../helpers/service.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { Browserless } from '../analyst/ui-login.ts';
import { seedReport } from '../analyst/seed-reports.ts';
import { FormClient, reportForm } from '../intake/form-client.ts';

const PASSWORD = 'correct horse battery';
// "invoice_‮fdp.exe" reads as "invoice_exe.pdf" when the override is honoured.
const SUBJECT = 'invoice_\u202Efdp.exe \u200Bhidden\u0007bell \u{E0041}';
const BODY = 'Open the attachment invoice_\u202Efdp.exe now\u2066!';

describe('bidi and control characters are shown, not obeyed', () => {
  it('names each invisible character and leaves ordinary text, tabs and line ends alone', () => {
    expect(revealInvisible('a\u202Eb\u200Fc\u0000d\u001Be\u0085f\uFEFFg\u00ADh')).to.equal(
      'a⟨U+202E⟩b⟨U+200F⟩c⟨U+0000⟩d⟨U+001B⟩e⟨U+0085⟩f⟨U+FEFF⟩g⟨U+00AD⟩h',
    );
    expect(revealInvisible('tag \u{E0041}')).to.equal('tag ⟨U+E0041⟩');
    expect(revealInvisible('plain ünïcødé, 日本語, emoji 🙂\tand\r\nlines')).to.equal('plain ünïcødé, 日本語, emoji 🙂\tand\r\nlines');
    // The page helper applies it to every value, after which it escapes.
    expect(String(html`<p>${'<b>\u202E</b>'}</p>`)).to.equal('<p>&lt;b&gt;⟨U+202E⟩&lt;/b&gt;</p>');
  });

  describe('in the analyst UI', () => {
    const t = useTestService({ ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-bidi` });
    let reportId: string;
    beforeEach(async () => {
      await createUser(t.ds, 'ana@example.test', 'analyst', PASSWORD);
      const raw = Buffer.from(
        `From: Billing <billing@bad.example>\r\nSubject: =?UTF-8?B?${Buffer.from(SUBJECT).toString('base64')}?=\r\nX-Trick: esc\x1b[31mred\r\n` +
          `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${BODY}\r\n`,
        'utf8',
      );
      reportId = await seedReport(t.ds, { subject: SUBJECT, from: 'billing\u202E@bad.example', raw });
    });

    const pages = async () => {
      const b = new Browserless(t.svc.url);
      expect((await b.login('ana@example.test', PASSWORD)).status).to.equal(303);
      return b;
    };

    it('shows them by name in the report list and the report page (subject, From, headers, body)', async () => {
      const b = await pages();
      for (const path of ['/ui/reports', `/ui/reports/${reportId}`]) {
        const body = await (await b.fetch(path)).text();
        expect(body, path).to.include('invoice_⟨U+202E⟩fdp.exe ⟨U+200B⟩hidden⟨U+0007⟩bell ⟨U+E0041⟩');
        expect(body, path).to.include('billing⟨U+202E⟩@bad.example');
        expect(body, path).not.to.match(/[\u202E\u200B\u0007\u{E0041}]/u);
      }
      const detail = await (await b.fetch(`/ui/reports/${reportId}`)).text();
      expect(detail).to.include('esc⟨U+001B⟩[31mred'); // the raw header section
      expect(detail).to.include('Open the attachment invoice_⟨U+202E⟩fdp.exe now⟨U+2066⟩!'); // the decoded body
    });

    it('renders them visibly in a browser', async function () {
      this.timeout(60_000);
      const browser: Browser = await launchBrowser(this);
      try {
        const page = await browser.newPage();
        await page.goto(`${t.svc.url}/login`);
        await page.fill('input[name=email]', 'ana@example.test');
        await page.fill('input[name=password]', PASSWORD);
        await Promise.all([page.waitForURL(`${t.svc.url}/`), page.click('button[type=submit]')]);
        await page.goto(`${t.svc.url}/ui/reports/${reportId}`);
        const title = await page.locator('h1.subject-title').innerText();
        expect(title).to.equal('invoice_⟨U+202E⟩fdp.exe ⟨U+200B⟩hidden⟨U+0007⟩bell ⟨U+E0041⟩');
        expect(await page.title()).to.include('⟨U+202E⟩');
      } finally {
        await browser.close();
      }
    });

    it("writes a visitor's own pasted text back into the report form unchanged", async () => {
      const client = new FormClient(t.svc.url);
      const { token } = await client.open();
      // Invalid (no category), so the form comes back with what was typed.
      const { html: page } = await client.post(reportForm({ _csrf: token, email: 'a@example.org', description: 'see \u202Ethis', source: 'Subject: x\u202Ey\n' }));
      expect(page).to.include('see \u202Ethis</textarea>');
      expect(page).to.match(/Subject: x\u202Ey\r?\n<\/textarea>/);
    });
  });
});
