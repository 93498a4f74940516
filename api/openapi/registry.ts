import type { Endpoint } from './endpoint.ts';
import { intakeEndpoint } from '../intake/intake.schemas.ts';
import { reportsApiEndpoint } from '../webform/webform.schemas.ts';
import { getReportEndpoint, getSubmissionEndpoint } from '../submissions/submissions.schemas.ts';
import { analystEndpoints } from '../analyst/analyst.endpoints.ts';
import { reputationEndpoints } from '../reputation/reputation.schemas.ts';
import { failedEndpoint } from '../admin/failed.schemas.ts';
import { healthEndpoint, readyEndpoint } from '../health/health.schemas.ts';
import { metricsEndpoint } from '../ops/ops.schemas.ts';
import { openApiEndpoint } from './openapi.schemas.ts';
import { notificationEndpoints } from '../notifications/notifications.schemas.ts';
import { webhookEndpoints } from '../webhooks/webhooks.schemas.ts';
import { campaignEndpoints } from '../campaigns/campaigns.schemas.ts';
import { triageEndpoints } from '../triage/triage.schemas.ts';
import { trustEndpoints } from '../trust/trust.schemas.ts';
import { senderRangeEndpoints } from '../sender-data/sender-ranges.schemas.ts';

/**
 * Every JSON endpoint the app mounts, in the order the document lists them. A new endpoint: declare
 * it with `defineEndpoint` in your feature's `*.schemas.ts` and add it here (one line per feature);
 * test/openapi/coverage.test.ts fails for a mounted route missing from this list, and for an entry
 * no route serves.
 */
export const ENDPOINTS: readonly Endpoint[] = [
  intakeEndpoint,
  reportsApiEndpoint,
  getSubmissionEndpoint,
  getReportEndpoint,
  ...analystEndpoints,
  ...reputationEndpoints,
  failedEndpoint,
  ...notificationEndpoints,
  ...webhookEndpoints,
  ...campaignEndpoints,
  ...triageEndpoints,
  ...trustEndpoints,
  ...senderRangeEndpoints,
  healthEndpoint,
  readyEndpoint,
  metricsEndpoint,
  openApiEndpoint,
];
