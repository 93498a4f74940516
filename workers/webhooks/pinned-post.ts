import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { forbiddenRange, checkWebhookUrl, WebhookUrlError } from '../../shared/webhooks/address-policy.ts';

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Tests only: deliver to private and loopback addresses. */
  allowPrivate: boolean;
  /** Most response bytes read (the rest is discarded). @defaultValue 65536 */
  maxResponseBytes?: number;
  /**
   * A keep-alive agent of the caller's, used for this URL only (one subscription's drain): its
   * sockets were each connected to an address checked here. Without it, a fresh connection.
   */
  agent?: http.Agent;
}

export interface PostResult {
  status: number;
  /** The start of the response body (bounded), for the delivery log. */
  body: string;
  address: string;
  ms: number;
}

/**
 * POSTs to a webhook URL with the SSRF policy: the host is resolved here, every address checked,
 * and the socket connects to the address that passed (a `lookup` that answers only it), so DNS
 * rebinding between check and connect is impossible. Redirects are NOT followed: a 3xx is returned
 * as it is and counts as a failure (following would need the same checks per hop and invites
 * open-redirect tricks). The whole request, connect included, has one deadline; the response is
 * read up to a size bound. Throws `WebhookUrlError` for a refused destination.
 */
export async function pinnedPost(rawUrl: string, opts: PostOptions): Promise<PostResult> {
  const url = checkWebhookUrl(rawUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const candidates = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  const checked = candidates.map((c) => ({ ...c, refused: opts.allowPrivate ? null : forbiddenRange(c.address) }));
  const pinned = checked.find((c) => c.refused === null);
  if (!pinned) {
    throw new WebhookUrlError(`refused: ${host} resolves to ${checked.map((c) => `${c.address} (${c.refused})`).join(', ') || 'nothing'}`);
  }
  const pin: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
  const started = performance.now();
  const max = opts.maxResponseBytes ?? 65_536;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        lookup: pin,
        signal,
        // The caller's per-URL agent, or a fresh connection: a socket pooled across URLs could be to an address checked for another one.
        agent: opts.agent ?? false,
        // servername stays the URL's host name: TLS still verifies the certificate against it.
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < max) chunks.push(c.subarray(0, max - size));
          size += c.length;
          if (size >= max) res.destroy(); // enough for the log; do not let a receiver stream forever
        });
        const done = () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 2000), address: pinned.address, ms: Math.round(performance.now() - started) });
        res.on('end', done);
        res.on('close', done);
        res.on('error', reject);
      },
    );
    req.on('error', (err) => reject(signal.aborted ? new Error(`no answer within ${opts.timeoutMs} ms`) : err));
    req.end(opts.body);
  });
}
