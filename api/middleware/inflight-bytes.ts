import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { AppError } from '../../shared/errors/app-error.ts';

/** Room for the other JSON fields next to the message (email, category, a 5,000-character description escaped). */
const JSON_FIELDS_ROOM = 64 * 1024;

/**
 * The largest JSON body POST /v1/reports takes: the message as base64 (4 bytes per 3, unwrapped)
 * plus the other fields. What the JSON form can carry, and no more: a 25 MiB message is ~33.4 MiB.
 */
export function jsonBodyLimit(maxMessageBytes: number): number {
  return 4 * Math.ceil(maxMessageBytes / 3) + JSON_FIELDS_ROOM;
}

/**
 * The largest multipart body a public route reads: the message (uploaded or pasted — one of the
 * two) and the fields. Below the JSON limit, so one largest report of either form fits the default
 * per-client bound.
 */
export function formBodyLimit(maxMessageBytes: number): number {
  return maxMessageBytes + JSON_FIELDS_ROOM;
}

export interface InflightLimits {
  /** Bytes one client IP may have in flight (IPv6 grouped per /56, as the rate limits do); absent: no per-client share. */
  perIp?: number;
  /** Bytes in flight in this process on the channels this counter guards. */
  total: number;
}

/**
 * Bounds the request bodies the public channels hold at once, per client and in total, so 30
 * concurrent 35 MB posts from one client cannot take a gigabyte: a request reserves its declared
 * Content-Length (required: 411 without) before a byte of its body is read, and gives it back
 * when its answer is done. Past the bound it is refused at once — 429 (this client) or 503 (the
 * process) with Retry-After — and the connection closed rather than drained. Per process: memory
 * is per process, so this counter lives in it (the rate limits that must span processes are in Redis).
 */
export class InflightBytes {
  private total = 0;
  private readonly byIp = new Map<string, number>();

  constructor(private readonly limits: InflightLimits) {}

  /** Bytes held now (for tests and metrics). */
  get held(): number {
    return this.total;
  }

  /**
   * The middleware; on a POST route before anything reads the body (first on the public ones). `maxBodyOf`: the
   * largest body this request may have. `withoutLength`: a body without Content-Length is refused
   * (411, the public routes: browsers and fetch() always send it) or reserves the largest body (the
   * raw intake, where an MTA pipe may stream chunked).
   */
  guard(maxBodyOf: (req: Request) => number, withoutLength: 'refuse' | 'reserve-max' = 'refuse'): RequestHandler {
    return (req, res, next) => {
      const maxBody = maxBodyOf(req);
      let declared = Number(req.get('content-length'));
      if (!Number.isInteger(declared) || declared < 0) {
        if (withoutLength === 'reserve-max') declared = maxBody;
        else {
          res.set('Connection', 'close');
          return next(new AppError('length_required', 'send the report with a Content-Length'));
        }
      }
      if (declared > maxBody) {
        res.set('Connection', 'close');
        return next(new AppError('payload_too_large', `the request body is larger than ${maxBody} bytes`, { field: 'message', limit: maxBody }));
      }
      // Node's parser holds the body to the declared length, so this is what it can cost.
      const bytes = declared;
      // No per-client share (the raw intake: its clients are our own keys): no address to key on.
      const perIp = this.limits.perIp;
      const ip = perIp === undefined ? null : ipKeyGenerator(req.ip ?? 'unknown');
      const mine = ip === null ? 0 : this.byIp.get(ip) ?? 0;
      let refusal: AppError | null = null;
      if (perIp !== undefined && mine + bytes > perIp) {
        refusal = new AppError('rate_limited', 'you have too many reports on their way already; send the next when one is answered', { retryAfter: 5 });
      } else if (this.total + bytes > this.limits.total) {
        refusal = new AppError('overloaded', 'too many reports are being received right now; retry shortly', { retryAfter: 5 });
      }
      if (refusal) {
        res.set('Connection', 'close');
        return next(refusal);
      }
      this.total += bytes;
      if (ip !== null) this.byIp.set(ip, mine + bytes);
      // 'close' fires once the answer is sent or the connection is gone, whichever comes first.
      res.once('close', () => {
        this.total -= bytes;
        if (ip === null) return;
        const left = (this.byIp.get(ip) ?? bytes) - bytes;
        if (left > 0) this.byIp.set(ip, left);
        else this.byIp.delete(ip);
      });
      next();
    };
  }
}
