import type { DataSource } from 'typeorm';
import { html, type Html } from '../web/html.ts';
import { fmtTime } from '../ui/page.ts';

/**
 * The dashboard's campaign cards: the top campaigns of the last 24 hours (by reports in that window,
 * from the hourly counts) and the campaigns first seen in the last hour. Subjects are escaped text.
 */
export async function campaignDashboardCards(ds: DataSource): Promise<Html> {
  const top: { id: string; subject: string | null; n: number; reporters: number }[] = await ds.query(
    `SELECT c.id::text AS id, c.subject, h.n::int AS n, c.reporters
       FROM (SELECT campaign_id, sum(n) AS n FROM campaign_hourly WHERE hour > now() - interval '24 hours' GROUP BY campaign_id
              ORDER BY sum(n) DESC, campaign_id DESC LIMIT 10) h
       JOIN campaigns c ON c.id = h.campaign_id AND c.merged_into IS NULL
      ORDER BY h.n DESC, c.id DESC`,
  );
  const fresh: { id: string; subject: string | null; reports: number; first_seen: Date }[] = await ds.query(
    `SELECT id::text AS id, subject, reports, first_seen FROM campaigns
      WHERE first_seen >= now() - interval '1 hour' AND merged_into IS NULL ORDER BY first_seen DESC, id DESC LIMIT 10`,
  );
  const row = (id: string, subject: string | null, n: number, extra: string) =>
    html`<tr><td><a href="/ui/campaigns/${id}">#${id}</a></td><td class="subject clip">${subject ?? '(no subject)'}</td><td class="num">${n}</td><td class="muted nowrap">${extra}</td></tr>`;
  return html`<div class="grid2">
<section class="card"><h2>Top campaigns · 24 h</h2>
${top.length ? html`<div class="table-wrap"><table class="compact"><tbody>${top.map((c) => row(c.id, c.subject, c.n, `${c.reporters} reporters`))}</tbody></table></div>` : html`<p class="muted">No campaigns in the last 24 hours.</p>`}
<p><a href="/ui/campaigns?sort=reports">All campaigns →</a></p></section>
<section class="card"><h2>New campaigns · last hour</h2>
${fresh.length ? html`<div class="table-wrap"><table class="compact"><tbody>${fresh.map((c) => row(c.id, c.subject, c.reports, fmtTime(c.first_seen)))}</tbody></table></div>` : html`<p class="muted">No new campaign in the last hour.</p>`}
</section></div>`;
}
