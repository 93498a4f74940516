import type { Config } from '../shared/config/config.schema.ts';
import type { Mailer } from '../shared/mail/mailer.ts';

/** What `start --demo` created on this start (only shown now), if anything. */
export interface DemoCreated {
  key?: string;
  login?: { email: string; password: string };
  samples?: number;
  /** The outside IP the samples list through a trusted channel (docs/reputation.md, "Reporter trust"). */
  listedIp?: string;
  /** The verified IP owner with 30 days of data (docs/sender-data.md). */
  owner?: string;
}

export interface DemoSummaryInput {
  config: Config;
  httpPort: number | null;
  smtpPort: number | null;
  mail: Mailer['kind'];
  created: DemoCreated;
}

export const DEMO_LOGIN = 'admin@demo.localhost';

/**
 * The few lines `start --demo` prints for a person (the JSON log is for machines): what runs where,
 * the key and the login (when created now; how to get new ones otherwise) and where mail goes.
 */
export function demoSummary({ config, httpPort, smtpPort, mail, created }: DemoSummaryInput): string {
  const base = (config.PUBLIC_URL ?? `http://localhost:${httpPort ?? config.PORT}`).replace(/\/+$/, '');
  const rows: [string, string][] = [];
  if (httpPort !== null) {
    rows.push(['analyst UI', `${base}/   (sign in below)`]);
    rows.push(['report form', `${base}/report`]);
    rows.push(['sender portal', `${base}/sender   (why rejected, IP status, delist, policy)`]);
    rows.push(['API docs', `${base}/docs   (OpenAPI: ${base}/openapi.json)`]);
  }
  if (smtpPort !== null) {
    const addresses = config.INTAKE_ADDRESSES.split(',').map((a) => a.split('=')[0]!.trim()).filter(Boolean);
    rows.push(['SMTP intake', `localhost:${smtpPort}, to ${addresses.join(', ')}`]);
  }
  rows.push(['outgoing mail', mail === 'outbox' ? `kept, not sent: ${base}/dev/outbox (admin; no MAIL_RELAY_URL)`
    : mail === 'relay' ? 'sent through MAIL_RELAY_URL' : 'refused (503): set MAIL_RELAY_URL']);
  rows.push(['roles', config.ROLES.join(', ')]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = ['', '  abuse-intake demo is running', '', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), ''];

  lines.push(created.login
    ? `  UI login (shown only now): ${created.login.email} / ${created.login.password}`
    : `  UI login: ${DEMO_LOGIN} (its password was shown at the first start; new one: npx abuse-intake users reset-password --email ${DEMO_LOGIN})`);
  if (created.key) {
    lines.push('  admin API key (shown only now):', '', `    export KEY=${created.key}`, '',
      '  try: curl -s -X POST --data-binary @examples/outbound-contoso.eml \\',
      `         -H 'Content-Type: message/rfc822' -H "Authorization: Bearer $KEY" ${base}/v1/intake/email`);
  } else {
    lines.push('  API key: shown at the first start; a new one: npx abuse-intake keys create --role admin');
  }
  if (created.samples) lines.push('', `  ${created.samples} sample reports sent through the intake`);
  if (created.listedIp) {
    lines.push(`  ${created.listedIp} gets listed: six platform users reported its spam through a platform intake key`,
      `    curl -s -H "Authorization: Bearer $KEY" ${base}/v1/lookup/${created.listedIp}`);
  }
  if (created.owner) {
    lines.push(`  IP owner data: sign in at ${base}/sender/data/signin as ${created.owner}`,
      `    (the sign-in link arrives in ${mail === 'outbox' ? `${base}/dev/outbox` : 'that mailbox'}; 30 days of volume for its range)`);
  }
  lines.push('', '  Stop with Ctrl+C.', '');
  return lines.join('\n');
}
