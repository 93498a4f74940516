import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import cookieParser from 'cookie-parser';
import type { ApiContext } from '../context.ts';
import { html } from '../web/html.ts';
import { languageMiddleware } from '../web/i18n/choose-language.ts';
import { visitorCsrf } from '../web/visitor-csrf.ts';
import { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { normalizeIp } from '../edge/params.ts';
import { isPublicIp } from '../reputation/ip-param.ts';
import { lookupView, type LookupResult } from '../reputation/lookup-view.ts';
import { codeMatcher } from '../../shared/sender/match-code.ts';
import { explainFindings } from '../../shared/sender/explain-bounce.ts';
import { readBounceMessage, readPastedBounce, type BounceReading } from '../../shared/sender/read-bounce.ts';
import { delistRoutes } from '../delist/delist.routes.ts';
import { loadSenderCodes } from './sender-codes-file.ts';
import { loadPolicy } from './policy-file.ts';
import { BOUNCE_MAX_BYTES, bounceUpload, senderRateLimit, type UploadProblem } from './sender-guards.ts';
import { senderLang, senderPage, sendPage, formatSize } from './sender-page.ts';
import { indexPage } from './index-page.ts';
import { ipPage } from './ip-page.ts';
import { listingView } from './listing-view.ts';
import { policyPage } from './policy-page.ts';
import { whyFormPage, whyResultPage, type IpStanding } from './why-page.ts';

/** IPs a bounce may make us look up (each `listing: true` reply names one). */
const MAX_IP_LOOKUPS = 5;

/**
 * The sender portal (docs/sender-portal.md): `/sender` and its pages, the delist portal under
 * `/sender/delist`, and permanent redirects from the old `/delist…` URLs. Public, in the
 * visitor's language, without scripts. The codes file and the policy are read here, at start:
 * a broken file stops the service with a message naming the file, the line and the field.
 */
export function senderRoutes(ctx: ApiContext): Router {
  const codes = loadSenderCodes(ctx.config.SENDER_CODES_FILE);
  const match = codeMatcher(codes);
  const policy = loadPolicy(ctx.config.SENDER_POLICY_FILE);
  const cache = new IpCache(ctx.redis, ctx.config.REDIS_PREFIX);
  const csrf = visitorCsrf(ctx.config, ctx.log, 'sender');
  const limit = senderRateLimit(ctx);
  const router = Router();

  // Old addresses (mailed links, MTA replies, rbldnsd TXT records) keep working: 308 keeps the method and the body.
  const moved = (req: Request, res: Response) => res.redirect(308, `/sender${req.originalUrl}`);
  for (const old of ['/delist', '/delist/confirm']) router.get(old, moved).post(old, moved);

  router.use('/sender', languageMiddleware(), cookieParser());
  router.use(delistRoutes(ctx));

  router.get('/sender', (_req, res) => sendPage(res, 200, indexPage(senderLang(res).lang)));
  router.get('/sender/policy', (_req, res) => {
    const { lang } = senderLang(res);
    sendPage(res, 200, policyPage(lang, policy[lang]));
  });

  /** The IP's standing from the Redis copy the MTA lookup reads (no Postgres, no report rows). */
  const standing = async (ip: string): Promise<LookupResult | 'unavailable'> => {
    try {
      return lookupView(ctx.config, ip, await cache.get(ip), Date.now());
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, 'sender portal: listings copy unavailable');
      return 'unavailable';
    }
  };

  router.get('/sender/ip', (req, res, next) => (typeof req.query.ip === 'string' ? limit(req, res, next) : next()), async (req, res) => {
    const { lang, t } = senderLang(res);
    const value = typeof req.query.ip === 'string' ? req.query.ip.slice(0, 64) : '';
    if (!value.trim()) return sendPage(res, 200, ipPage(lang, '', null));
    const ip = normalizeIp(value.trim());
    if (ip === null) return sendPage(res, 400, ipPage(lang, value, null, t('ip.invalid', { value })));
    if (!isPublicIp(ip)) return sendPage(res, 200, ipPage(lang, ip, html`<p class="notice" id="listing" data-listed="false">${t('ip.private', { ip })}</p>`));
    const view = await standing(ip);
    if (view === 'unavailable') return sendPage(res, 503, ipPage(lang, ip, null, t('ip.unavailable')));
    sendPage(res, 200, ipPage(lang, ip, listingView(view, lang, t)));
  });

  router.get('/sender/why', (req, res) => sendPage(res, 200, whyFormPage(senderLang(res).lang, { csrf: csrf.token(req, res), maxBytes: BOUNCE_MAX_BYTES })));

  const uploadStatus: Record<UploadProblem, number> = { tooLarge: 413, wrongType: 415, malformed: 400 };
  router.post('/sender/why', limit, bounceUpload(), (req, res, next) => {
    const problem = res.locals.upload as UploadProblem | undefined;
    if (!problem) return next();
    const { lang, t } = senderLang(res);
    const error = problem === 'tooLarge' ? t('why.tooLarge', { size: formatSize(BOUNCE_MAX_BYTES) }) : problem === 'wrongType' ? t('why.wrongType') : t('why.empty');
    sendPage(res, uploadStatus[problem], whyFormPage(lang, { csrf: csrf.token(req, res), maxBytes: BOUNCE_MAX_BYTES, error }));
  }, csrf.protect, async (req, res) => {
    const { lang, t } = senderLang(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = typeof body.text === 'string' ? body.text : '';
    const file = req.file?.buffer ?? null;
    const form = { csrf: csrf.token(req, res), maxBytes: BOUNCE_MAX_BYTES, text };
    if (!text.trim() && !file?.length) return sendPage(res, 400, whyFormPage(lang, { ...form, error: t('why.empty') }));
    const reading: BounceReading = file?.length ? readBounceMessage(file) : readPastedBounce(text);
    const explainedCodes = explainFindings(reading.findings, match);
    const ips = new Map<string, IpStanding>();
    for (const c of explainedCodes) {
      if (!c.entry?.listing) continue;
      for (const ip of c.ips) {
        if (ips.has(ip) || ips.size >= MAX_IP_LOOKUPS) continue;
        const bare = normalizeIp(ip);
        ips.set(ip, bare === null || !isPublicIp(bare) ? 'private' : await standing(bare));
      }
    }
    sendPage(res, 200, whyResultPage(lang, explainedCodes, ips, form));
  });

  const csrfFailed: ErrorRequestHandler = (err, _req: Request, res: Response, next) => {
    if ((err as { code?: string }).code !== 'EBADCSRFTOKEN') return next(err);
    const { lang, t } = senderLang(res);
    sendPage(res, 403, senderPage(lang, '/sender/why', t('csrf.title'), html`<h1>${t('csrf.title')}</h1><p class="errors" role="alert">${t('csrf.text')}</p><p><a href="/sender/why">${t('why.title')}</a></p>`));
  };
  router.use('/sender/why', csrfFailed);
  return router;
}
