import { simpleParser } from 'mailparser';
import { html, type Html } from '../web/html.ts';
import type { OutboxMail } from '../../shared/mail/dev-outbox.ts';
import { fmtTime } from '../ui/page.ts';

/**
 * Text with our own links made clickable: only URLs under the service's public base URL become
 * links (a confirmation link, say), everything else stays escaped text — a mail may quote what a
 * stranger typed (an address, a reported subject), and nothing from a stranger becomes a link.
 */
export function linkOwnUrls(text: string, base: string): Html {
  const parts: (Html | string)[] = [];
  const re = /https?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const url = m[0].replace(/[.,;:)]+$/, '');
    parts.push(text.slice(last, m.index));
    parts.push(url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`) ? html`<a href="${url}">${url}</a>` : url);
    last = m.index + url.length;
  }
  parts.push(text.slice(last));
  return html`${parts}`;
}

export function outboxList(mails: OutboxMail[]): Html {
  return html`<h1>Development outbox</h1>
<p class="muted">Mail the service would have sent (start --demo without MAIL_RELAY_URL). Newest first; nothing here left this machine.</p>
${mails.length === 0 ? html`<p class="card muted">No mail yet.</p>` : html`<div class="table-wrap"><table id="outbox"><thead><tr><th>When</th><th>To</th><th>Subject</th></tr></thead><tbody>
${mails.map((m) => html`<tr><td class="nowrap">${fmtTime(m.createdAt)}</td><td class="mono">${m.to.join(', ')}</td>
<td><a href="/dev/outbox/${m.id}">${m.subject ?? '(no subject)'}</a></td></tr>`)}</tbody></table></div>`}`;
}

/** One mail: the main headers, the text body (decoded) and the raw source, all as escaped text. */
export async function outboxMail(m: OutboxMail, base: string): Promise<Html> {
  const parsed = await simpleParser(m.raw, { skipHtmlToText: true, skipImageLinks: true, skipTextLinks: true });
  const text = parsed.text ?? '';
  return html`<p class="crumbs"><a href="/dev/outbox">Development outbox</a> ›</p>
<h1 class="subject-title">${m.subject ?? '(no subject)'}</h1>
<section class="card"><dl class="kv">
<dt>To</dt><dd class="mono">${m.to.join(', ')}</dd>
<dt>From</dt><dd class="mono">${m.from ?? ''}</dd>
<dt>Kept at</dt><dd>${fmtTime(m.createdAt)}</dd>
<dt>Message-ID</dt><dd class="mono">${m.messageId ?? ''}</dd>
</dl></section>
<section class="card"><h2>Text</h2><pre id="mail-text">${linkOwnUrls(text, base)}</pre></section>
<details class="card"><summary>Raw source</summary><pre>${m.raw.toString('utf8')}</pre></details>`;
}
