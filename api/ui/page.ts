import type { Request, Response } from 'express';
import { html, type Html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import type { CsrfKit } from './csrf.ts';

/** The analyst navigation; `admin` entries only for admins. Other features add their page here. */
const LINKS: { href: string; label: string; admin?: boolean }[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/ui/reports', label: 'Reports' },
  { href: '/ui/campaigns', label: 'Campaigns' },
  { href: '/ui/listings', label: 'Listings' },
  { href: '/ui/tenant-flags', label: 'Flags' },
  { href: '/ui/delist', label: 'Delist' },
  { href: '/ui/notifications', label: 'Notifications' },
  { href: '/ui/audit', label: 'Audit' },
  { href: '/ui/admin/failed', label: 'Failed', admin: true },
  { href: '/admin/queues', label: 'Queues', admin: true },
  { href: '/docs', label: 'API' },
];

/** The entry of LINKS a path belongs to (the longest prefix), for aria-current. */
function currentLink(path: string): string | undefined {
  return LINKS.map((l) => l.href)
    .filter((h) => path === h || (h !== '/' && path.startsWith(`${h}/`)))
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * The analyst header: one `<details>` menu. On a phone it is a "Menu" button that opens the links
 * (no JavaScript: the browser's own disclosure); on a wide screen CSS shows its content inline
 * and hides the button (app.css, "navigation").
 */
export function analystNav(req: Request, res: Response, csrf: CsrfKit): Html {
  const user = req.session.user!;
  const here = currentLink(req.path);
  return html`<details class="menu"><summary>Menu</summary><div class="menu-body">
<nav aria-label="main">${LINKS.filter((l) => !l.admin || user.role === 'admin').map(
    (l) => html`<a href="${l.href}"${l.href === here ? html` aria-current="page"` : ''}>${l.label}</a>`,
  )}</nav>
<form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${csrf.token(req, res)}">
<span class="who">${user.email} · ${user.role}</span> <button class="secondary" type="submit">Sign out</button></form>
</div></details>`;
}

/** Sends a signed-in page: the shared layout plus analyst navigation and a CSRF-protected logout. */
export function sendPage(req: Request, res: Response, csrf: CsrfKit, title: string, body: Html, scripts: string[] = []): void {
  res.type('html').send(layout({ title, body, nav: analystNav(req, res, csrf), scripts }));
}

/** The one-time notice a post/redirect/get action left in the session ("Error: …" for failures). */
export function takeFlash(req: Request): Html | string {
  const flash = req.session.flash;
  if (!flash) return '';
  delete req.session.flash;
  return html`<p class="${flash.startsWith('Error') ? 'errors' : 'notice'}" role="status">${flash}</p>`;
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
