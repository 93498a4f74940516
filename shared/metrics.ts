import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

/**
 * Prometheus metrics, served at /metrics (api/ops). The objects are plain counters in memory:
 * creating them connects to nothing. Each process exposes its own numbers; Prometheus sums them.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'abuse_intake_' });

export const intakeSubmissions = new Counter({
  name: 'abuse_intake_submissions_total',
  help: 'Submissions made durable, by intake channel (idempotent repeats not counted)',
  labelNames: ['channel'] as const,
  registers: [metricsRegistry],
});

export const jobDuration = new Histogram({
  name: 'abuse_intake_job_duration_seconds',
  help: 'Submission job processing time, by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const attributionOutcomes = new Counter({
  name: 'abuse_intake_attributions_total',
  help: 'Reports attributed, by direction and tenant confidence ("none" when no tenant)',
  labelNames: ['direction', 'confidence'] as const,
  registers: [metricsRegistry],
});

/** Queues whose depth is reported; the api role registers its producer queue. */
const depthQueues = new Set<Queue>();

export function watchQueueDepth(queue: Queue): () => void {
  depthQueues.add(queue);
  return () => depthQueues.delete(queue);
}

new Gauge({
  name: 'abuse_intake_queue_jobs',
  help: 'Jobs in a BullMQ queue by state (read from Redis at scrape time)',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const q of depthQueues) {
      try {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
      } catch {
        // Redis down or queue closed: the gauge is absent for this scrape rather than failing it.
      }
    }
  },
});

/** Records one processed submission's reports (called from the worker after the commit). */
export function recordAttributions(reports: readonly { direction: string; tenantConfidence: string | null }[]): void {
  for (const r of reports) attributionOutcomes.inc({ direction: r.direction, confidence: r.tenantConfidence ?? 'none' });
}

/** Times one submission job; the label is the use case's outcome, or `error` when it threw. */
export async function timeJob<T extends { outcome: string }>(run: () => Promise<T>): Promise<T> {
  const end = jobDuration.startTimer();
  try {
    const result = await run();
    end({ outcome: result.outcome });
    return result;
  } catch (err) {
    end({ outcome: 'error' });
    throw err;
  }
}
