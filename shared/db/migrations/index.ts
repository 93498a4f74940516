import { InitialSchema1764240000000 } from './1764240000000-initial-schema.ts';
import { Tenancy1764250000000 } from './1764250000000-tenancy.ts';
import { Reputation1764270000000 } from './1764270000000-reputation.ts';
import { Analyst1764280000000 } from './1764280000000-analyst.ts';
import { ReportHourly1764280000001 } from './1764280000001-report-hourly.ts';
import { ReportDecidingHop1764290000000 } from './1764290000000-report-deciding-hop.ts';
import { RawLz41764310000000 } from './1764310000000-raw-lz4.ts';
import { ReportHourlyPidShards1764300000000 } from './1764300000000-report-hourly-pid-shards.ts';
import { SubmissionBatch1764320000000 } from './1764320000000-submission-batch.ts';
import { RawInline1764330000000 } from './1764330000000-raw-inline.ts';
import { DevOutbox1764340000000 } from './1764340000000-dev-outbox.ts';
import { ReporterTrust1764340000001 } from './1764340000001-reporter-trust.ts';
import { TrustModel1764350000000 } from './1764350000000-trust-model.ts';
import { NormalizedLogins1764370000000 } from './1764370000000-normalized-logins.ts';
import { IdempotencyPerKey1764370000001 } from './1764370000001-idempotency-per-key.ts';
import { Campaigns1764420000000 } from './1764420000000-campaigns.ts';
import { Triage1764420000001 } from './1764420000001-triage.ts';
import { CampaignFunctions1764420000002 } from './1764420000002-campaign-functions.ts';
import { Notifications1764400000000 } from './1764400000000-notifications.ts';
import { AnalystActions1764430000000 } from './1764430000000-analyst-actions.ts';
import { SenderData1764500000000 } from './1764500000000-sender-data.ts';
import { TrapHits1764510000000 } from './1764510000000-trap-hits.ts';
import { CampaignAlertTrust1764520000000 } from './1764520000000-campaign-alert-trust.ts';

/** Every migration, oldest first; add new ones at the end. */
export const MIGRATIONS = [InitialSchema1764240000000, Tenancy1764250000000, Reputation1764270000000, Analyst1764280000000, ReportHourly1764280000001, ReportDecidingHop1764290000000, ReportHourlyPidShards1764300000000, RawLz41764310000000, SubmissionBatch1764320000000, RawInline1764330000000,
  DevOutbox1764340000000,
  ReporterTrust1764340000001,
  TrustModel1764350000000,
  NormalizedLogins1764370000000,
  IdempotencyPerKey1764370000001,
  Notifications1764400000000,
  Campaigns1764420000000,
  Triage1764420000001,
  CampaignFunctions1764420000002,
  AnalystActions1764430000000,
  SenderData1764500000000,
  TrapHits1764510000000,
  CampaignAlertTrust1764520000000,
];
