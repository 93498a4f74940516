import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { notifySchema } from '../notifications/notify-policy.ts';

/**
 * The tenancy file (ARCHITECTURE.md, "Tenancy file"): the platform's own networks and host names,
 * the headers that carry a tenant id, optional trusted relays and feedback loops, and the tenants.
 * Objects are strict so that a misspelt key (`domian:`) is an error naming the field, not a silent no-op.
 */

/** A CIDR (`40.107.0.0/16`) or a bare address (read as /32 or /128); returned in canonical form. */
const cidr = z.string().trim().transform((s, ctx) => {
  try {
    if (s.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(s);
      return `${addr.toString()}/${bits}`;
    }
    const addr = ipaddr.parse(s);
    return `${addr.toString()}/${addr.kind() === 'ipv4' ? 32 : 128}`;
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not an IP network in CIDR notation (e.g. 203.0.113.0/24)` });
    return z.NEVER;
  }
});

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/^\.+|\.+$/g, ''))
  .pipe(z.string().regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/, 'must be a host or domain name such as outlook.com'));

const headerName = z
  .string()
  .trim()
  .regex(/^[!-9;-~]+$/, 'must be a header field name (printable ASCII, no colon or space)')
  .transform((s) => s.toLowerCase());

const email = z.string().trim().toLowerCase().pipe(z.email('must be an email address'));

const signingDomain = z.strictObject({
  domain: hostname,
  selector: z.string().trim().min(1, 'must not be empty'),
  /** The DKIM public key: a PEM block, the base64 `p=` value, or the whole `v=DKIM1; k=rsa; p=…` record. */
  publicKey: z.string().trim().min(16, 'must be a PEM public key, a base64 key or a DKIM TXT record'),
});

const tenant = z.strictObject({
  id: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'must be 1–100 letters, digits, _ . - (starting with a letter or digit)'),
  name: z.string().trim().min(1, 'must not be empty').max(300),
  externalIds: z.array(z.string().trim().toLowerCase().min(1)).default([]),
  domains: z.array(hostname).default([]),
  networks: z.array(cidr).default([]),
  abuseContact: email.nullable().optional().transform((v) => v ?? null),
  /** Tenant notifications (docs/notifications.md); absent = off. */
  notify: notifySchema.optional(),
});

export const tenancySchema = z
  .strictObject({
    platform: z.strictObject({
      networks: z.array(cidr),
      hostnames: z.array(hostname),
      tenantHeaders: z.array(headerName).default([]),
      originatingIpHeaders: z.array(headerName).default([]),
      signingDomains: z.array(signingDomain).default([]),
    }),
    trustedRelays: z.array(cidr).default([]),
    feedbackLoops: z.array(z.strictObject({ name: z.string().trim().min(1, 'must not be empty'), from: email })).default([]),
    tenants: z.array(tenant).default([]),
  })
  .superRefine((t, ctx) => {
    // A tenant id, external id or domain that names two tenants would make attribution a coin toss.
    const seen = (what: 'id' | 'externalIds' | 'domains') => {
      const owner = new Map<string, string>();
      t.tenants.forEach((tn, i) => {
        const values = what === 'id' ? [tn.id] : tn[what];
        values.forEach((v, j) => {
          const prev = owner.get(v);
          if (prev !== undefined && prev !== tn.id) {
            ctx.addIssue({
              code: 'custom',
              path: what === 'id' ? ['tenants', i, 'id'] : ['tenants', i, what, j],
              message: `"${v}" is already used by tenant ${prev}`,
            });
          } else if (prev === undefined) owner.set(v, tn.id);
          else if (what === 'id') ctx.addIssue({ code: 'custom', path: ['tenants', i, 'id'], message: `duplicate tenant id "${v}"` });
        });
      });
    };
    seen('id');
    seen('externalIds');
    seen('domains');
  });

export type Tenancy = z.output<typeof tenancySchema>;
export type Tenant = Tenancy['tenants'][number];
export type SigningDomain = Tenancy['platform']['signingDomains'][number];

/** A tenancy with no platform: every message is foreign (or unknown). Used when none is configured. */
export const EMPTY_TENANCY: Tenancy = {
  platform: { networks: [], hostnames: [], tenantHeaders: [], originatingIpHeaders: [], signingDomains: [] },
  trustedRelays: [],
  feedbackLoops: [],
  tenants: [],
};
