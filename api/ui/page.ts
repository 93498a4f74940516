import type { Request, Response } from 'express';
import { html, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import type { CsrfKit } from './csrf.ts';

const LINKS: [string, string][] = [
  ['/', 'Dashboard'],
  ['/ui/reports', 'Reports'],
  ['/ui/campaigns', 'Campaigns'],
  ['/ui/delist', 'Delist queue'],
  ['/docs', 'API'],
];

/** Sends a signed-in page: the shared layout plus analyst navigation and a CSRF-protected logout. */
export function sendPage(req: Request, res: Response, csrf: CsrfKit, title: string, body: Html, scripts: string[] = []): void {
  const user = req.session.user!;
  const here = req.path;
  const nav = html`<nav aria-label="main">${LINKS.map(
    ([href, label]) => html`<a href="${href}"${href === here ? html` aria-current="page"` : ''}>${label}</a>`,
  )}${user.role === 'admin' ? html`<a href="/admin/queues">Queues</a>` : ''}</nav>
<form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${csrf.token(req, res)}">
<span class="who">${user.email} · ${user.role}</span> <button class="secondary" type="submit">Sign out</button></form>`;
  res.type('html').send(layout({ title, body, nav, scripts }));
}

/**
 * A 400 page naming each bad parameter: what the JSON API says as problem+json, for a person.
 * `input` is the raw value from the URL (shown escaped).
 */
export function badParameterPage(req: Request, res: Response, csrf: CsrfKit, problems: { field: string; message: string }[]): void {
  res.status(400);
  sendPage(req, res, csrf, 'Bad request', html`<h1>Bad request</h1><div class="errors" role="alert"><ul>${problems.map(
    (p) => html`<li><code>${p.field}</code> ${p.message}</li>`,
  )}</ul></div>`);
}

export function fmtTime(d: Date | string | null): string {
  if (!d) return '';
  const iso = (typeof d === 'string' ? new Date(d) : d).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}
