import { defineEndpoint } from '../openapi/endpoint.ts';
import * as s from './schemas.ts';

/** The analyst query API's endpoints (analyst.routes.ts, subject.routes.ts validate with these). */
const analyst = { roles: ['analyst', 'admin'], session: 'read' } as const;

export const listReportsEndpoint = defineEndpoint({
  method: 'get', path: '/v1/reports', tag: 'reports', auth: analyst,
  summary: 'List reports, newest first (keyset pagination)',
  query: s.reportListQuery,
  responses: { 200: { description: 'one page', schema: s.reportPage } },
});

export const exportReportsEndpoint = defineEndpoint({
  method: 'get', path: '/v1/reports/export', tag: 'reports', auth: analyst,
  summary: 'Export every matching report (streamed)',
  query: s.exportQuery,
  responses: {
    200: {
      description: "CSV (formula-like cells prefixed with ') or NDJSON of report summaries",
      content: { 'text/csv': 'text', 'application/x-ndjson': s.reportSummary },
    },
  },
});

export const rawReportEndpoint = defineEndpoint({
  method: 'get', path: '/v1/reports/:id/raw', tag: 'reports', auth: analyst,
  summary: 'Download the original submission as message/rfc822',
  params: s.reportIdParam,
  responses: {
    200: { description: 'the raw message, as an attachment', content: { 'message/rfc822': 'binary' } },
    404: 'no such report, or its raw message was removed by retention',
  },
});

export const topEndpoint = defineEndpoint({
  method: 'get', path: '/v1/stats/top', tag: 'stats', auth: analyst,
  summary: 'Top relay IPs, originating IPs, tenants or domains in a window',
  query: s.topQuery,
  responses: { 200: { description: 'keys by report count', schema: s.topResult } },
});

export const timeseriesEndpoint = defineEndpoint({
  method: 'get', path: '/v1/stats/timeseries', tag: 'stats', auth: analyst,
  summary: 'Reports per hour or day',
  query: s.timeseriesQuery,
  responses: { 200: { description: 'zero-filled series', schema: s.timeseriesResult } },
});

export const ipProfileEndpoint = defineEndpoint({
  method: 'get', path: '/v1/ips/:ip', tag: 'profiles', auth: analyst,
  summary: 'IP profile: score, listing state and history, complaint rate, recent reports, breakdown',
  params: s.ipParam,
  responses: { 200: { description: 'the profile', schema: s.subjectProfile } },
});

export const tenantProfileEndpoint = defineEndpoint({
  method: 'get', path: '/v1/tenants/:id', tag: 'profiles', auth: analyst,
  summary: 'Tenant profile: score, flag, complaint rate, recent reports, breakdown',
  params: s.tenantParam,
  responses: { 200: { description: 'the profile', schema: s.subjectProfile }, 404: 'unknown tenant with no reports' },
});

export const analystEndpoints = [
  listReportsEndpoint, exportReportsEndpoint, rawReportEndpoint, topEndpoint, timeseriesEndpoint, ipProfileEndpoint, tenantProfileEndpoint,
];
