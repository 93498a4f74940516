import type { DataSource } from 'typeorm';
import { startCaptureServer, type CaptureServer } from '../helpers/smtp-capture.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { FormClient, linkIn } from './form-client.ts';
import { startPtrServer, type PtrServer } from './ptr-server.ts';

export interface OwnerFixture {
  svc: TestService;
  ds: DataSource;
  smtp: CaptureServer & { refuse: boolean };
  dns: PtrServer;
}

/** The real service (api role unless told) mailing through a capture relay, resolving PTRs at a loopback DNS server. */
export function useOwnerService(overrides: Record<string, string> = {}, roles = 'api'): OwnerFixture {
  const f = {} as OwnerFixture;
  before(async function () {
    this.timeout(60_000);
    f.smtp = await startCaptureServer();
    f.dns = await startPtrServer();
    f.svc = await startTestService({ ROLES: roles, MAIL_RELAY_URL: f.smtp.url, DNS_SERVERS: f.dns.server,
      // The whole run shares one Redis prefix, every suite mails from 127.0.0.1 and these suites sign the
      // same owners in again and again: give them room (the budget itself is tested in test/trust/).
      CONFIRM_MAILS_PER_IP: '1000', CONFIRM_MAILS_PER_ADDRESS: '1000', ...overrides });
    f.ds = await testDataSource();
  });
  after(async () => {
    await f.svc?.stop();
    await f.ds?.destroy();
    await f.smtp?.close();
    await f.dns?.close();
  });
  beforeEach(async () => {
    await truncateAll(f.ds);
    f.smtp.mails.length = 0;
    f.dns.records.clear();
    f.dns.queries.length = 0;
  });
  return f;
}

/** The path and query of a mailed link (the mail names PUBLIC_URL; the test talks to its own port). */
export const local = (link: string): string => {
  const u = new URL(link);
  return `${u.pathname}${u.search}`;
};

/** Signs an owner in the way a person does: the form, the mailed link, its button. */
export async function signIn(f: OwnerFixture, email: string): Promise<FormClient> {
  const client = new FormClient(f.svc.url);
  const before = f.smtp.mails.length;
  const asked = await client.post('/sender/data/signin', { email });
  if (asked.status !== 200) throw new Error(`sign-in form answered ${asked.status}`);
  const mails = await f.smtp.waitFor(before + 1);
  const mail = mails.filter((m) => m.to.includes(email)).at(-1)!;
  const page = await client.get(local(linkIn(mail.text, '/sender/data/signin')));
  const token = /name="token" value="([^"]+)"/.exec(page.text)![1]!;
  const done = await client.post('/sender/data/signin/confirm', { token }, page.text);
  if (done.status !== 303) throw new Error(`sign-in confirm answered ${done.status}: ${done.text.slice(0, 300)}`);
  return client;
}
