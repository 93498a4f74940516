import type { ContentFeatures } from '../campaigns/content-features.ts';

/**
 * The data shapes of the analysis core (see ../../docs/attribution.md and the attribution
 * contract). Plain data in, plain data out: nothing here touches the network, disk or clock.
 */

export type SubmissionKind = 'arf' | 'xarf' | 'forward' | 'direct' | 'dsn' | 'auto-reply' | 'empty';
export type Direction = 'outbound' | 'inbound' | 'foreign' | 'unknown';
export type TenantConfidence = 'verified' | 'high' | 'medium' | 'low';

/** One parsed `Received:` header. Fields are null when the header does not say. */
export interface Hop {
  /** Position in the chain, 0 = top (newest). */
  index: number;
  /** The connecting address the receiving host recorded (bracketed IP), normalised (IPv4-mapped → IPv4). */
  ip: string | null;
  /** Reverse DNS name of the connecting host as the receiver recorded it (`unknown` → null). */
  rdns: string | null;
  /** The name the client gave in HELO/EHLO. */
  helo: string | null;
  /** The receiving host (`by`). */
  by: string | null;
  /** `with` protocol (SMTP, ESMTPS, ESMTPSA, HTTP, mapi, …). */
  protocol: string | null;
  /** Queue / message id assigned by the receiver. */
  id: string | null;
  /** Authenticated submission information, when recorded (e.g. `ESMTPSA`, `(Authenticated sender: …)`). */
  auth: string | null;
  /** The envelope recipient (`for <…>`) when recorded. */
  for: string | null;
  /** The timestamp after `;`, ISO 8601, when it parses. */
  date: string | null;
  /** Which parser recognised the header: postfix, sendmail, exim, qmail, exchange, gmail, yahoo, courier, mdaemon, generic. */
  format: string;
  /** The header value, unfolded (bounded length). */
  raw: string;
}

/** ARF (RFC 5965) / X-ARF report fields, as read from the report part. */
export interface ArfFields {
  feedbackType: string | null;
  userAgent: string | null;
  version: string | null;
  sourceIp: string | null;
  sourcePort: number | null;
  originalMailFrom: string | null;
  originalRcptTo: string[];
  arrivalDate: string | null;
  reportedDomain: string[];
  reportedUri: string[];
  incidents: number | null;
  /** X-ARF only: Report-Type, Category, Service, etc. */
  extra?: Record<string, string>;
}

/** One reported message found in a submission, attributed. */
export interface AnalyzedReport {
  subject: string | null;
  from: string | null;
  fromDomain: string | null;
  messageId: string | null;
  /** The reported message's Date header, ISO 8601, when it parses. */
  date: string | null;
  /** Raw Received header values, top (newest) first. */
  receivedChain: string[];
  hops: Hop[];
  direction: Direction;
  relayIp: string | null;
  originatingIp: string | null;
  viaPlatform: boolean;
  tenant: string | null;
  tenantConfidence: TenantConfidence | null;
  recipientTenant: string | null;
  conflict: boolean;
  /** Index in `hops` of the hop that ended the walk, or null. */
  decidingHop: number | null;
  feedbackType: string | null;
  arf: ArfFields | null;
  /** The sending domain used for reputation: DKIM d= if any, else the From domain. */
  sendingDomain: string | null;
  /** Who reported this message when the submission itself says (wrapper From, ARF provider); else null. */
  reporter: string | null;
  /** One line per step: which hop, which rule, why. */
  evidence: string[];
  /** Content features of the reported message's body, for campaign assignment (shared/campaigns). */
  content?: ContentFeatures | null;
}

/** The result of analysing one submission. */
export interface Analysis {
  kind: SubmissionKind;
  reports: AnalyzedReport[];
  /** Why there are no reports, for dsn / auto-reply / empty. */
  reason: string | null;
  /** The wrapper's (the reporter's own message) From and Subject, when there is a wrapper. */
  wrapper: { from: string | null; subject: string | null } | null;
}
