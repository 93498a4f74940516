import { html, type Html } from '../../web/html.ts';
import { localInputValue, type ResolvedRange } from '../../lists/time-range.ts';
import type { ListUrl } from './list-url.ts';

const LABELS: [ResolvedRange['range'], string][] = [
  ['24h', 'Last 24 h'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['all', 'Any time'],
];

/**
 * The time part of a list's filter form: a preset select (24 h, 7 d, 30 d, any time, custom) and
 * From / To inputs for a custom range, in UTC like every time the UI shows. `what` names the time
 * the list filters on ("received", "listed"…).
 */
export function rangeFields(r: ResolvedRange, what: string): Html {
  const options: [string, string][] = [...LABELS.map(([v, l]) => [v, l] as [string, string]), ['custom', 'Custom (From / To)']];
  const custom = r.range === 'custom';
  return html`<label>${what} <select name="range">${options.map(([v, l]) => html`<option value="${v}"${v === r.range ? html` selected` : ''}>${l}</option>`)}</select></label>
<label>From (UTC) <input type="datetime-local" name="since" step="60" value="${custom ? localInputValue(r.since) : ''}"></label>
<label>To (UTC) <input type="datetime-local" name="until" step="60" value="${custom ? localInputValue(r.until) : ''}"></label>`;
}

/** One-click presets above a list: each keeps every other filter and starts at the first page. */
export function rangePresets(url: ListUrl, r: ResolvedRange): Html {
  return html`<nav class="presets" aria-label="time range">${LABELS.map(([v, l]) => v === r.range
    ? html`<span class="current" aria-current="true">${l}</span>`
    : html`<a href="${url.with({ range: v, since: undefined, until: undefined })}">${l}</a>`)}${r.range === 'custom'
    ? html`<span class="current" aria-current="true">Custom</span>` : ''}</nav>`;
}
