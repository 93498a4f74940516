/** A tiny cookie jar + form login for tests that talk to the UI with fetch. */
export class Browserless {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.header() } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** The `_csrf` hidden field of a page's form. */
  async csrfFrom(path: string): Promise<string> {
    const body = await (await this.fetch(path)).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(body);
    if (!m) throw new Error(`no CSRF field on ${path}`);
    return m[1]!;
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    return this.fetch(path, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  async login(email: string, password: string): Promise<Response> {
    const csrf = await this.csrfFrom('/login');
    return this.post('/login', { _csrf: csrf, email, password, next: '/' });
  }
}
