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

/**
 * A header that names the *sending* tenant, and where in its value the id is: the whole value, or the
 * `field=` entry of a `key=value;key=value` list (Exchange:
 * `X-MS-Exchange-CrossTenant-OriginalAttributedTenantConnectingIp: TenantId=<id>;Ip=[…];Helo=[…]`).
 * A field name rather than a regular expression: the file cannot bring a pattern that backtracks on hostile mail.
 */
const senderTenantHeader = z.strictObject({
  name: headerName,
  field: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be the key of a key=value entry (letters, digits, _ . -), e.g. TenantId')
    .transform((s) => s.toLowerCase())
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});

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
      /** Headers naming the sending tenant; read in mail the platform received as well as in mail it sent. */
      senderTenantHeaders: z.array(senderTenantHeader).default([]),
      /**
       * The platform strips its tenant headers from mail entering it from outside and writes its own
       * (Exchange Online's header firewall), so in mail it sent or received they are genuine wherever they
       * sit. @defaultValue false (only headers above the hop that ended the walk are read)
       */
      headerFirewall: z.boolean().default(false),
      /**
       * The part of `networks` the platform hands mail to other mail systems from (its egress), e.g.
       * Exchange Online Protection's ranges. Used in mail from one platform user to another: the egress
       * hop is where the sending side handed the message to the receiving side. Optional.
       */
      egressNetworks: z.array(cidr).default([]),
      signingDomains: z.array(signingDomain).default([]),
    }),
    trustedRelays: z.array(cidr).default([]),
    feedbackLoops: z
      .array(z.strictObject({
        name: z.string().trim().min(1, 'must not be empty'),
        from: email,
        /** Client networks the loop's SMTP reports come from: mail from them is bound to the loop (`feed` trust). */
        sourceNetworks: z.array(cidr).default([]),
      }))
      .default([]),
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
    // Egress is a part of the platform: an egress range outside `networks` would never be walked to.
    t.platform.egressNetworks.forEach((e, i) => {
      if (!insideAny(e, t.platform.networks)) {
        ctx.addIssue({ code: 'custom', path: ['platform', 'egressNetworks', i], message: `"${e}" is not inside any of platform.networks` });
      }
    });
    // One header cannot name both the recipient's tenant (tenantHeaders) and the sender's.
    const tenantHeaders = new Set(t.platform.tenantHeaders);
    t.platform.senderTenantHeaders.forEach((h, i) => {
      if (tenantHeaders.has(h.name)) {
        ctx.addIssue({ code: 'custom', path: ['platform', 'senderTenantHeaders', i, 'name'], message: `"${h.name}" is also in platform.tenantHeaders` });
      }
    });
  });

/** Is the canonical CIDR `inner` inside one of the canonical CIDRs `outer`? */
function insideAny(inner: string, outer: readonly string[]): boolean {
  const [addr, bits] = ipaddr.parseCIDR(inner);
  return outer.some((o) => {
    const [net, netBits] = ipaddr.parseCIDR(o);
    return addr.kind() === net.kind() && bits >= netBits && addr.match(net, netBits);
  });
}

export type Tenancy = z.output<typeof tenancySchema>;
export type Tenant = Tenancy['tenants'][number];
export type SigningDomain = Tenancy['platform']['signingDomains'][number];
export type SenderTenantHeader = Tenancy['platform']['senderTenantHeaders'][number];

/** A tenancy with no platform: every message is foreign (or unknown). Used when none is configured. */
export const EMPTY_TENANCY: Tenancy = {
  platform: {
    networks: [], hostnames: [], tenantHeaders: [], originatingIpHeaders: [], senderTenantHeaders: [], headerFirewall: false, egressNetworks: [], signingDomains: [],
  },
  trustedRelays: [],
  feedbackLoops: [],
  tenants: [],
};
