import { expect } from 'chai';
import { useTestService, bearer } from '../helpers/service.ts';
import { waitForSubmission } from '../helpers/db.ts';
import { createUser } from '../../shared/users/users.ts';
import { FormClient, reportForm } from '../intake/form-client.ts';
import { Browserless } from './ui-login.ts';

const HEADERS = 'Received: from mail.sender.example (mail.sender.example [203.0.113.7])\n\tby mx.victim.example; Fri, 27 Nov 2026 10:00:00 +0000\nFrom: bad@sender.example\nSubject: quota warning\n';

/**
 * Issue 14, item 10 across every boundary: what a reporter types into the public form (category,
 * a description with markup and line breaks) crosses intake → Postgres → worker → the analyst API
 * → the analyst UI, and arrives the same at each end — as data in JSON, as escaped text on pages.
 */
describe('a web-form report\'s category and description, form to analyst', function () {
  this.timeout(60_000);
  const t = useTestService({ ROLES: 'api,worker', WEBFORM_LIMIT_PER_IP: '1000', WEBFORM_LIMIT_PER_REPORTER: '1000' });

  it('is stored, listed by the API under channel webform, and shown escaped in the list and on the report page', async () => {
    const description = `It asked for my <b>password</b> & PIN.\nSecond line — "quoted"\n${'The same again. '.repeat(20)}END`;
    const client = new FormClient(t.svc.url);
    const { token } = await client.open();
    const { html } = await client.post(reportForm({ _csrf: token, email: 'victim@example.org', category: 'phishing', description, source: HEADERS }));
    const submission = /id="tracking-id">([^<]+)</.exec(html)![1]!;
    expect((await waitForSubmission(t.ds, submission)).status).to.equal('processed');

    // A form sends a textarea's line breaks as CRLF (HTML's form encoding); that is what is kept.
    const sent = description.replace(/\n/g, '\r\n');
    const [stored] = await t.ds.query(`SELECT channel, category, description FROM submissions WHERE id = $1`, [submission]);
    expect(stored).to.deep.equal({ channel: 'webform', category: 'phishing', description: sent });

    const key = await bearer(t.ds, 'analyst');
    const res = await fetch(`${t.svc.url}/v1/reports?channel=webform`, { headers: { authorization: key } });
    const { items } = (await res.json()) as { items: { id: string; submissionId: string; channel: string; category: string; description: string }[] };
    expect(items).to.have.length(1);
    expect(items[0]).to.include({ submissionId: submission, channel: 'webform', category: 'phishing', description: sent });

    await createUser(t.ds, 'reader@example.test', 'analyst', 'correct horse battery');
    const b = new Browserless(t.svc.url);
    await b.login('reader@example.test', 'correct horse battery');
    const list = await (await b.fetch('/ui/reports?channel=webform')).text();
    expect(list).to.include('It asked for my &lt;b&gt;password&lt;/b&gt; &amp; PIN. Second line — &quot;quoted&quot;').and.not.include('<b>password');
    expect(list).to.include('<span class="badge category">phishing</span>').and.not.include('END</span>');
    const page = await (await b.fetch(`/ui/reports/${items[0]!.id}`)).text();
    expect(page).to.include(`It asked for my &lt;b&gt;password&lt;/b&gt; &amp; PIN.\r\nSecond line — &quot;quoted&quot;\r\n${'The same again. '.repeat(20)}END`);
  });
});
