import type { Config } from '../config/config.schema.ts';
import type { ReporterTrust } from '../trust/reporter-trust.ts';

/** The thresholds every reputation decision reads; built once from the config. */
export interface ReputationSettings {
  /** Score half-life in ms. @defaultValue 24 h */
  halfLifeMs: number;
  /** Score at which an outside IP is listed (or a tenant flagged). @defaultValue 5 */
  listThreshold: number;
  /** Distinct reporters needed besides the score. @defaultValue 3 */
  listMinReporters: number;
  /** A listing expires when the decayed score falls below this. @defaultValue 1 */
  delistThreshold: number;
  /** Automatic delist on request below delistThreshold × this factor. @defaultValue 2 */
  delistAutoFactor: number;
  /** …or when the last report is older than this (ms). @defaultValue 72 h */
  delistAutoAfterMs: number;
  /** Removals within 30 days from which a delist request always goes to an analyst. @defaultValue 3 */
  maxRemovals30d: number;
  /** Complaint rate (0..1) that puts a subject on watch. @defaultValue 0.001 */
  rateWatch: number;
  /** Complaint rate (0..1) that lists an IP / flags a tenant. @defaultValue 0.003 */
  rateList: number;
  /** 24 h delivered volume below which the rate is informative only. @defaultValue 1000 */
  rateMinVolume: number;
  /** The least trusted report that moves reputation; below it a report is evidence only. @defaultValue 'verified' */
  minTrust: ReporterTrust;
}

export function reputationSettings(config: Config): ReputationSettings {
  return {
    halfLifeMs: config.REPUTATION_HALF_LIFE,
    listThreshold: config.LIST_THRESHOLD,
    listMinReporters: config.LIST_MIN_REPORTERS,
    delistThreshold: config.DELIST_THRESHOLD,
    delistAutoFactor: config.DELIST_AUTO_FACTOR,
    delistAutoAfterMs: config.DELIST_AUTO_AFTER,
    maxRemovals30d: 3,
    rateWatch: config.COMPLAINT_RATE_WATCH,
    rateList: config.COMPLAINT_RATE_LIST,
    rateMinVolume: config.COMPLAINT_RATE_MIN_VOLUME,
    minTrust: config.REPUTATION_MIN_TRUST,
  };
}
