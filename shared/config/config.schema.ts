import { z } from 'zod';
import { duration } from './duration.ts';
import { hardeningConfig } from './hardening.schema.ts';
import { TRUST_LEVELS } from '../trust/reporter-trust.ts';
import { parseDnsServers } from '../sender-data/dns-servers.ts';

export const ROLE_NAMES = ['api', 'smtp', 'worker'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const MIB = 1024 * 1024;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const roles = z
  .string()
  .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
  .pipe(z.array(z.enum(ROLE_NAMES)).min(1, 'name at least one role'));

const url = (protocols: string[]) =>
  z.string().refine((s) => {
    try {
      return protocols.includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

/**
 * Every environment variable the service reads. Parsed once at start by `loadConfig`;
 * documented in README.md ("Configuration").
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  SMTP_PORT: port.default(2525),
  /** Intake mailboxes, `address[=category]` comma-separated; without `=`, the local part names the category (docs/intake.md). */
  INTAKE_ADDRESSES: z.string().min(3).default('spam@reports.localhost,abuse@reports.localhost,fbl@reports.localhost'),
  /** The operator's spam-trap addresses, comma-separated: mail for them is a trap hit about the connecting client (docs/intake.md, "Spam traps"). */
  TRAP_ADDRESSES: z.string().optional(),
  /** Trap hits stored per client (an IPv4 address, an IPv6 /64) per hour; beyond, the trap answers 450 (docs/intake.md). */
  TRAP_HITS_PER_IP_PER_HOUR: positiveInt.default(30),
  /** Our host name in the SMTP greeting and in the Received header we prepend; default os.hostname(). */
  SMTP_HOSTNAME: z.string().regex(/^[A-Za-z0-9.-]+$/, 'a host name').optional(),
  /** PEM key and certificate (or SMTP_TLS_KEY_FILE / SMTP_TLS_CERT_FILE): STARTTLS is offered when both are set. */
  SMTP_TLS_KEY: z.string().min(1).optional(),
  SMTP_TLS_CERT: z.string().min(1).optional(),
  /** Open SMTP connections allowed per client IP, across all processes (421 beyond). */
  SMTP_MAX_CONNECTIONS_PER_IP: positiveInt.default(10),
  /** Messages per minute per client IP over SMTP, across all processes (450 beyond). */
  SMTP_MESSAGES_PER_MINUTE: positiveInt.default(120),
  /** Waiting jobs above which intake answers 451 (SMTP) / 503 (HTTP) so senders retry later. */
  INTAKE_HIGH_WATER: positiveInt.default(100_000),
  /** Web form / POST /v1/reports submissions per client IP per 10 minutes. */
  WEBFORM_LIMIT_PER_IP: positiveInt.default(30),
  /** Web form / POST /v1/reports submissions per reporter address per hour. */
  WEBFORM_LIMIT_PER_REPORTER: positiveInt.default(20),
  /** Reporter status page (/report/status/:id) look-ups per client IP per 10 minutes. */
  REPORT_STATUS_LIMIT_PER_IP: positiveInt.default(120),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/abuse_intake'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, _ . - only').default('abuse-intake'),
  ROLES: roles.default(['api', 'smtp', 'worker']),
  MAX_MESSAGE_BYTES: positiveInt.default(25 * MIB),
  TENANCY_FILE: z.string().min(1).optional(),
  /** Seconds between a worker's checks of the imported tenancy's version (an import reaches workers within this). */
  TENANCY_REFRESH_SECONDS: positiveInt.default(5),
  /** Seconds a submission may sit in `received` before the sweeper re-queues it. */
  SWEEP_AFTER_SECONDS: positiveInt.default(30),
  WORKER_CONCURRENCY: positiveInt.default(8),
  /** Days a raw message is kept after the last submission that carries it (docs/reliability.md). */
  RETENTION_DAYS: positiveInt.default(180),
  /** Days after which reporter addresses are replaced by a keyed hash. */
  PSEUDONYMISE_DAYS: positiveInt.default(30),
  /** HMAC key for pseudonyms (or PSEUDONYMISE_KEY_FILE); required in production, else a random one per process. */
  PSEUDONYMISE_KEY: z.string().min(16, 'use at least 16 characters').optional(),
  PUBLIC_URL: z.string().url().optional(),
  /** Signs UI session cookies and CSRF tokens (or SESSION_SECRET_FILE); required in production, else random per process. */
  /** Reports within one hour after which a campaign is `campaign.detected` (docs/campaigns.md). */
  CAMPAIGN_ALERT_REPORTS: positiveInt.default(100),
  SESSION_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  /** Idle minutes before a UI session expires. */
  SESSION_IDLE_MINUTES: positiveInt.default(480),
  /** Failed logins for one email before it is locked for LOGIN_LOCKOUT_MINUTES. */
  LOGIN_MAX_FAILURES: positiveInt.default(5),
  LOGIN_LOCKOUT_MINUTES: positiveInt.default(15),
  // Sender reputation (docs/reputation.md). Scores are in complaint units: one abuse report = 1.
  REPUTATION_HALF_LIFE: duration.default(24 * 3600_000),
  LIST_THRESHOLD: z.coerce.number().positive().default(5),
  LIST_MIN_REPORTERS: positiveInt.default(3),
  DELIST_THRESHOLD: z.coerce.number().positive().default(1),
  /** A delist request is granted automatically below DELIST_THRESHOLD × this factor… */
  DELIST_AUTO_FACTOR: z.coerce.number().positive().default(2),
  /** …or when the IP's last report is older than this. */
  DELIST_AUTO_AFTER: duration.default(72 * 3600_000),
  COMPLAINT_RATE_WATCH: z.coerce.number().positive().max(1).default(0.001),
  COMPLAINT_RATE_LIST: z.coerce.number().positive().max(1).default(0.003),
  /** Delivered messages in 24 h below which a complaint rate is shown but not acted on. */
  COMPLAINT_RATE_MIN_VOLUME: positiveInt.default(1000),
  /** SMTP relay for every mail the service sends; unset → the demo outbox under `start --demo`, else mail is refused (503). */
  MAIL_RELAY_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('abuse-intake <noreply@localhost>'),
  DELIST_RATE_PER_IP: positiveInt.default(10),
  DELIST_RATE_PER_EMAIL: positiveInt.default(5),
  // The sender portal (docs/sender-portal.md).
  /** Explanations of bounce codes (YAML, validated at start); default examples/sender-codes.yaml. */
  SENDER_CODES_FILE: z.string().min(1).optional(),
  /** The sending policy (Markdown, raw HTML off; `<name>.it.md` beside it is the Italian); default examples/sender-policy.md. */
  SENDER_POLICY_FILE: z.string().min(1).optional(),
  /** Bounce explanations and IP status look-ups per client IP per 10 minutes. */
  SENDER_RATE_PER_IP: positiveInt.default(60),
  // Tenant notifications and webhooks (docs/notifications.md).
  /** DKIM-sign every mail sent through the relay when all three are set (the key also as MAIL_DKIM_PRIVATE_KEY_FILE). */
  MAIL_DKIM_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+$/, 'a domain name').optional(),
  MAIL_DKIM_SELECTOR: z.string().regex(/^[A-Za-z0-9._-]+$/, 'a DKIM selector').optional(),
  MAIL_DKIM_PRIVATE_KEY: z.string().min(64, 'a PEM private key').optional(),
  /** Notification mails per tenant per rolling 24 h; past it, reports are held for the next digest. */
  NOTIFY_MAX_PER_DAY: positiveInt.default(100),
  /** An ARF attaches the whole reported message up to this size, its header section above it. */
  NOTIFY_ATTACH_MAX_BYTES: positiveInt.default(256 * 1024),
  /** Send attempts per notification (exponential backoff from NOTIFY_RETRY_BASE) before it is `failed`. */
  NOTIFY_MAX_ATTEMPTS: positiveInt.default(8),
  NOTIFY_RETRY_BASE: duration.default(30_000),
  /** Attempts per webhook delivery (exponential backoff from WEBHOOK_RETRY_BASE) before it is `failed`. */
  WEBHOOK_MAX_ATTEMPTS: positiveInt.default(8),
  WEBHOOK_RETRY_BASE: duration.default(10_000),
  /** Consecutive failed attempts after which a subscription is disabled. */
  WEBHOOK_MAX_FAILURES: positiveInt.default(20),
  /** Connect + response deadline of one webhook request. */
  WEBHOOK_TIMEOUT: duration.default(10_000),
  /** Allow webhook URLs that resolve to private, loopback or link-local addresses: tests only. */
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  // Reporter trust (docs/reputation.md, "Reporter trust").
  /** The least trusted report that still moves reputation: anonymous < verified < platform < feed. */
  REPUTATION_MIN_TRUST: z.enum(TRUST_LEVELS).default('verified'),
  /** Confirmation mails (report confirmations, /reporters) per normalised address per hour. */
  CONFIRM_MAILS_PER_ADDRESS: positiveInt.default(5),
  /** Confirmation mails per client IP per hour. */
  CONFIRM_MAILS_PER_IP: positiveInt.default(20),
  // Data for IP owners (docs/sender-data.md).
  /** Resolvers for the PTR look-ups that prove a range, `ip[:port]` comma-separated; unset: the system resolver. */
  DNS_SERVERS: z.string().optional().transform((v, c) => {
    if (v === undefined || v.trim() === '') return undefined;
    try {
      return parseDnsServers(v);
    } catch (err) {
      c.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  /** Addresses of a requested range whose PTR records are looked up (N spread evenly over it). */
  SENDER_PTR_SAMPLE: positiveInt.max(256).default(16),
  /** Owner page views and data-URL fetches per client IP per 10 minutes. */
  SENDER_DATA_LIMIT_PER_IP: positiveInt.default(300),
  ...hardeningConfig,
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = Readonly<z.output<typeof configSchema>>;
