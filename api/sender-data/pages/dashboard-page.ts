import { html, raw, type Html } from '../../web/html.ts';
import type { DailyRow } from '../../../shared/sender-data/daily-rows.ts';
import type { ListingPeriod } from '../../../shared/sender-data/daily-query.ts';
import type { RangeRequest } from '../../../shared/sender-data/ranges-store.ts';
import type { FblSubscription } from '../../../shared/sender-data/fbl-store.ts';
import type { Translate } from '../../web/i18n/catalog.ts';
import { chartData, dataTable, listingList, pct } from './data-table.ts';
import { ownerPage, postForm, utcMinute, words, type PageLocale } from './shell.ts';

export interface DashboardView {
  email: string;
  ranges: RangeRequest[];
  rows: DailyRow[];
  periods: ListingPeriod[];
  tokenIssuedAt: Date | null;
  /** A just-issued data URL, shown once. */
  newDataUrl?: string | null;
  subscriptions: FblSubscription[];
  thresholds: { watch: number; list: number };
  sample: number;
  notice?: string | null;
  rangeError?: string | null;
  rangeInput?: string;
}

/** A signed-in owner's page: addresses, data (table, chart, CSV), automated access, feedback loop. */
export function dashboardPage(l: PageLocale, csrf: string, v: DashboardView): string {
  const t = words(l);
  const verified = v.ranges.some((r) => r.status === 'verified');
  return ownerPage(l, t('title'), html`<div class="page-head"><h1>${t('title')}</h1>
${postForm('/sender/data/signout', csrf, '', t('signOut'), { cls: 'inline', buttonCls: 'secondary', id: 'signout' })}</div>
<p class="muted" id="who">${t('signedInAs', { email: v.email })}</p>
${v.notice ? html`<p class="notice" id="notice">${v.notice}</p>` : ''}
<h2>${t('dataHeading')}</h2>
<p class="muted">${t('dataNote', { watch: pct(v.thresholds.watch), list: pct(v.thresholds.list) })}</p>
${v.rows.length ? html`<h3>${t('chartHeading')}</h3><div class="owner-chart" id="owner-chart" data-chart="${chartData(v.rows, t)}"></div>` : ''}
${dataTable(v.rows, t)}
${verified ? html`<p><a class="button" id="csv" href="/sender/data/csv" download>${t('csvLink')}</a></p>` : ''}
<h2>${t('listingsHeading')}</h2>
${listingList(v.periods, t)}
${rangesSection(t, csrf, v)}
${tokenSection(t, csrf, v)}
${fblSection(t, csrf, v, verified)}`, v.rows.length ? ['vendor/uplot/uPlot.iife.min.js', 'sender-data/owner-chart.js'] : []);
}

function rangesSection(t: Translate, csrf: string, v: DashboardView): Html {
  return html`<h2>${t('rangesHeading')}</h2>
${v.ranges.length === 0 ? html`<p class="muted">${t('rangesEmpty')}</p>` : html`<div class="table-wrap"><table class="compact" id="ranges">
<thead><tr><th>${t('rangeCol')}</th><th>${t('statusCol')}</th><th>${t('howCol')}</th></tr></thead>
<tbody>${v.ranges.map((r) => html`<tr data-range="${r.cidr}" data-status="${r.status}"><td class="mono">${r.cidr}</td><td>${t(`status_${r.status}`)}</td>
<td>${r.method ? t(`method_${r.method}`) : r.status === 'pending' && r.ptrDomains.length ? offerForm(t, csrf, r) : ''}</td></tr>`)}</tbody></table></div>`}
<h3>${t('requestHeading')}</h3>
<p>${t('requestText', { sample: v.sample })}</p>
${v.rangeError ? html`<p class="error" role="alert" id="range-error">${v.rangeError}</p>` : ''}
${postForm('/sender/data/ranges', csrf, html`<label>${t('rangeLabel')}
<input name="range" required maxlength="64" inputmode="text" autocomplete="off" spellcheck="false" placeholder="198.51.100.0/24" value="${v.rangeInput ?? ''}"></label>`, t('requestButton'), { id: 'request-range', cls: 'stack card' })}`;
}

/** The proof mailboxes for a pending request: postmaster@ / abuse@ of the domains its PTRs named. */
export function offerForm(t: Translate, csrf: string, r: RangeRequest): Html {
  const choices = r.ptrDomains.flatMap((d) => [`postmaster@${d}`, `abuse@${d}`]);
  return postForm(`/sender/data/ranges/${r.id}/mail`, csrf, html`<label>${t('proofMailButton')}
<select name="to">${choices.map((c) => html`<option value="${c}"${c === r.mailedTo ? raw(' selected') : ''}>${c}</option>`)}</select></label>`, t('proofMailButton'), { cls: 'inline proof' });
}

function tokenSection(t: Translate, csrf: string, v: DashboardView): Html {
  return html`<h2>${t('tokenHeading')}</h2>
<p>${t('tokenText')}</p>
${v.newDataUrl ? html`<p>${t('tokenShown')}</p><pre id="data-url">${v.newDataUrl}</pre>` : ''}
<p class="muted" id="token-state">${v.tokenIssuedAt ? t('tokenIssuedAt', { at: utcMinute(v.tokenIssuedAt) }) : t('tokenNone')}</p>
<div class="actions-row">
${postForm('/sender/data/token', csrf, html`<input type="hidden" name="action" value="issue">`, t('tokenIssue'), { cls: 'inline', id: 'token-issue' })}
${v.tokenIssuedAt ? postForm('/sender/data/token', csrf, html`<input type="hidden" name="action" value="revoke">`, t('tokenRevoke'), { cls: 'inline', buttonCls: 'danger', id: 'token-revoke' }) : ''}
</div>`;
}

function fblSection(t: Translate, csrf: string, v: DashboardView, verified: boolean): Html {
  return html`<h2>${t('fblHeading')}</h2>
<p>${t('fblText')}</p>
${v.subscriptions.length === 0 ? html`<p class="muted">${t('fblNone')}</p>` : html`<ul id="fbl">${v.subscriptions.map((s) => html`<li data-status="${s.status}"><span class="mono">${s.email}</span> — ${t(`fblStatus_${s.status === 'active' ? 'active' : 'pending'}`)}
${postForm(`/sender/data/fbl/${s.id}/remove`, csrf, '', t('fblRemove'), { cls: 'inline', buttonCls: 'secondary' })}</li>`)}</ul>`}
${verified ? postForm('/sender/data/fbl', csrf, html`<label>${t('fblLabel')}
<input type="email" name="email" required maxlength="254" autocomplete="email"></label>`, t('fblButton'), { id: 'fbl-subscribe', cls: 'stack card' }) : html`<p class="muted">${t('fblNeedsRange')}</p>`}`;
}
