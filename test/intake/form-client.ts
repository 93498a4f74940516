/** A tiny cookie-keeping client for the report form, as a browser without JavaScript would use it. */
export class FormClient {
  private cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  private remember(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** GETs the form and returns its page and CSRF token. */
  async open(): Promise<{ res: Response; html: string; token: string }> {
    const res = await fetch(`${this.base}/report`, { headers: { cookie: this.cookieHeader } });
    this.remember(res);
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    return { res, html, token };
  }

  async post(form: FormData): Promise<{ res: Response; html: string }> {
    const res = await fetch(`${this.base}/report`, { method: 'POST', body: form, headers: { cookie: this.cookieHeader } });
    this.remember(res);
    return { res, html: await res.text() };
  }
}

export function reportForm(fields: Record<string, string>, file?: { bytes: Buffer; name: string; type: string }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('message', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return form;
}
