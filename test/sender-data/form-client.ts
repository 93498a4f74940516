/**
 * A cookie-keeping HTTP client for the owner pages, as a browser without JavaScript uses them:
 * GET a page, read the form's CSRF token, POST the form back with the cookies.
 */
export class FormClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<{ status: number; text: string; res: Response }> {
    const res = await fetch(path.startsWith('http') ? path : `${this.base}${path}`, { headers: { cookie: this.header(), 'accept-language': 'en' }, redirect: 'manual' });
    this.keep(res);
    return { status: res.status, text: await res.text(), res };
  }

  async post(path: string, fields: Record<string, string>, csrfFrom?: string): Promise<{ status: number; text: string; location: string | null }> {
    const csrf = csrfFrom ? FormClient.csrf(csrfFrom) : FormClient.csrf((await this.get('/sender/data')).text);
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    this.keep(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }

  static csrf(page: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!m) throw new Error('no CSRF token on the page');
    return m[1]!;
  }
}

/** The first link to `path` in a mail's text. */
export function linkIn(text: string, path: string): string {
  const m = new RegExp(`https?://[^\\s]+${path.replace(/[/?]/g, '\\$&')}\\?token=[A-Za-z0-9_-]{43}`).exec(text);
  if (!m) throw new Error(`no ${path} link in: ${text}`);
  return m[0];
}
