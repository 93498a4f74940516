import { html, type Html } from './html.ts';

export interface LayoutOptions {
  title: string;
  body: Html;
  /** Extra script files under /static (no inline scripts: the CSP forbids them). */
  scripts?: string[];
  /** Navigation for signed-in analysts; public pages pass nothing. */
  nav?: Html;
}

/** The page shell shared by public pages (report form, delist portal) and the analyst UI. */
export function layout({ title, body, scripts = [], nav }: LayoutOptions): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · abuse-intake</title>
<link rel="stylesheet" href="/static/app.css">
${scripts.map((s) => html`<script src="/static/${s}" defer></script>`)}
</head>
<body>
<header class="top"><a class="brand" href="/">abuse-intake</a>${nav ?? ''}</header>
<main>${body}</main>
</body>
</html>`}`;
}
