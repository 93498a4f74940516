import type { DataSource } from 'typeorm';
import { enqueueSubmissions, type SubmissionQueue } from '../../shared/queue/submission-queue.ts';

/**
 * Re-queues submissions that were committed but never reached the queue (Redis down at intake,
 * a crash between commit and enqueue) or whose job was lost (Redis restarted without the data).
 * Re-adding an id whose job still exists is a no-op in BullMQ, so this is always safe.
 */
export async function sweepSubmissions(ds: DataSource, queue: SubmissionQueue, olderThanSeconds: number, limit = 1000): Promise<number> {
  const rows: { id: string }[] = await ds.query(
    `SELECT id FROM submissions
      WHERE status IN ('received', 'queued') AND received_at < now() - make_interval(secs => $1)
      ORDER BY received_at LIMIT $2`,
    [olderThanSeconds, limit],
  );
  const ids = rows.map((r) => r.id);
  await enqueueSubmissions(queue, ids);
  if (ids.length) await ds.query(`UPDATE submissions SET status = 'queued' WHERE id = ANY($1::uuid[]) AND status = 'received'`, [ids]);
  return ids.length;
}
