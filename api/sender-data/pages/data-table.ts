import { html, type Html } from '../../web/html.ts';
import type { DailyRow } from '../../../shared/sender-data/daily-rows.ts';
import type { ListingPeriod } from '../../../shared/sender-data/daily-query.ts';
import type { Translate } from '../../web/i18n/catalog.ts';
import { utcMinute } from './shell.ts';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(3).replace(/\.?0+$/, '')}%`);

/** The chart's data: one point per UTC day, summed over the owner's addresses (read by owner-chart.js). */
export function chartData(rows: DailyRow[], t: Translate): string {
  const byDay = new Map<string, { delivered: number; complaints: number }>();
  for (const r of rows) {
    const d = byDay.get(r.day) ?? { delivered: 0, complaints: 0 };
    d.delivered += r.delivered ?? 0;
    d.complaints += r.complaints;
    byDay.set(r.day, d);
  }
  const days = [...byDay.keys()].sort();
  return JSON.stringify({
    days,
    series: [
      { label: t('chartLabelComplaints'), values: days.map((d) => byDay.get(d)!.complaints) },
      { label: t('chartLabelDelivered'), values: days.map((d) => Math.round(byDay.get(d)!.delivered / 100) / 10) },
    ],
  });
}

/** Rows per address and day; wide tables scroll inside their box on a phone. */
export function dataTable(rows: DailyRow[], t: Translate): Html {
  if (rows.length === 0) return html`<p class="muted" id="data-empty">${t('dataEmpty')}</p>`;
  return html`<div class="table-wrap"><table class="compact" id="data-table">
<thead><tr><th>${t('col_ip')}</th><th>${t('col_day')}</th><th>${t('col_delivered')}</th><th>${t('col_complaints')}</th><th>${t('col_rate')}</th>
<th>${t('col_filter')}</th><th>${t('col_byTrust')}</th><th>${t('col_traps')}</th><th>${t('col_helo')}</th><th>${t('col_mailFrom')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr data-ip="${r.ip}" data-day="${r.day}">
<td class="mono nowrap">${r.ip}</td><td class="nowrap">${r.day}</td><td class="num">${r.delivered ?? '—'}</td><td class="num">${r.complaints}</td>
<td class="num">${pct(r.rate)}</td>
<td><span class="colour ${r.colour}" data-colour="${r.colour}">${t(`colour_${r.colour}`)}</span>${r.listed ? html` <span class="badge listed">${t('listed')}</span>` : ''}</td>
<td class="num nowrap">${r.anonymous} / ${r.verified} / ${r.platform} / ${r.feed}</td><td class="num">${r.trapHits}</td>
<td class="mono clip">${r.helo ?? ''}</td><td class="mono clip">${r.mailFrom ?? ''}</td></tr>`)}</tbody>
</table></div>`;
}

export function listingList(periods: ListingPeriod[], t: Translate): Html {
  if (periods.length === 0) return html`<p class="muted" id="listings-empty">${t('listingsEmpty')}</p>`;
  return html`<ul id="listings">${periods.map((p) => html`<li>${t('listedSince', { ip: p.ip, from: utcMinute(p.from), to: p.to ? utcMinute(p.to) : t('stillListed') })}</li>`)}</ul>`;
}

export { pct };
