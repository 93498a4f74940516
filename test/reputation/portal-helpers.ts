import { createServer } from 'node:net';
export { startCaptureServer, type CapturedMail } from '../helpers/smtp-capture.ts';

/** A free TCP port, so PUBLIC_URL can name the port the service will bind. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export function confirmLink(text: string): string {
  const m = /https?:\/\/\S+\/sender\/delist\/confirm\?token=[A-Za-z0-9_-]{43}/.exec(text);
  if (!m) throw new Error(`no confirmation link in: ${text}`);
  return m[0];
}

/** A minimal cookie jar for fetch: what the portal sets, sent back. */
export class Browserless {
  private readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return { status: res.status, body: await res.text() };
  }

  post(url: string, form: Record<string, string>) {
    return this.fetch(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
}

export function csrfOf(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1]!;
}
