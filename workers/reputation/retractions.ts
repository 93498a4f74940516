import type { EntityManager } from 'typeorm';
import type { Event } from './event-writes.ts';

/**
 * Rule 3 of docs/reputation.md: a `not-spam` report retracts only when it comes from a feed (a
 * feedback loop over a channel bound to it) about a subject that same feed reported before. Anyone
 * else's not-spam is evidence only — otherwise a stranger could talk a listed IP clean. One query,
 * run only when a batch holds such retractions (rare), so the intake path pays nothing for it.
 * The feed is matched by the submission's `feedback_loop`, which survives pseudonymisation.
 */
export async function retractableSubjects(em: EntityManager, retractions: (Event & { loop: string })[]): Promise<Event[]> {
  const rows: { kind: string; key: string; loop: string }[] = await em.query(
    `SELECT DISTINCT e.kind, e.key, s.feedback_loop AS loop
       FROM unnest($1::text[], $2::text[], $3::text[]) AS c(kind, key, loop)
       JOIN reputation_events e ON e.kind = c.kind AND e.key = c.key AND e.weight > 0 AND e.withdrawn_at IS NULL
       JOIN reports r ON r.id = e.report_id
       JOIN submissions s ON s.id = r.submission_id AND s.feedback_loop = c.loop`,
    [retractions.map((e) => e.subject.kind), retractions.map((e) => e.subject.key), retractions.map((e) => e.loop)],
  );
  const reported = new Set(rows.map((r) => `${r.kind}\u0000${r.key}\u0000${r.loop}`));
  const kept: Event[] = [];
  for (const { loop, ...e } of retractions) {
    if (!reported.has(`${e.subject.kind}\u0000${e.subject.key}\u0000${loop}`)) continue;
    const reason = `${e.reason}; a retraction by feedback loop ${JSON.stringify(loop)}, which reported this before`;
    kept.push({ ...e, reason, baseReason: reason });
  }
  return kept;
}
