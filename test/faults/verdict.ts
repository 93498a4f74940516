import type { Outcome } from './traffic.ts';
import type { Verdict } from './verify.ts';

/** Share of each channel's sends that must be accepted: the faults refuse some (a documented run kept 82 %), never most. */
export const MIN_ACCEPTED_SHARE = 0.5;

export interface FaultRun {
  outcomes: Outcome[];
  /** The Postgres outage, wall-clock ms. */
  outage: { from: number; to: number };
  /** Whether the smtp process opened its port. */
  smtpReady: boolean;
  verdict: Verdict;
  /** Processes that died after they had started. */
  crashed: string[];
}

/**
 * Everything that makes the fault test fail. Besides loss and duplicates, the test must have tested
 * what it claims: both channels carried traffic and most of it was accepted (a run accepting nothing
 * loses nothing), Postgres really was down while requests came in, and reputation really was
 * checked against the reports kept (a run where the worker wrote no reputation proves nothing).
 */
export function faultProblems(run: FaultRun): string[] {
  const { outcomes, outage, verdict: v } = run;
  const during = (o: Outcome) => o.startedAt >= outage.from && o.endedAt <= outage.to;
  const problems: string[] = [];
  if (v.lost.length > 0) problems.push('reports lost');
  if (v.duplicated.length > 0) problems.push('reports duplicated');
  if (outcomes.some((o) => o.accepted && during(o))) problems.push('intake accepted while Postgres was down');
  if (!outcomes.some((o) => !o.accepted && during(o))) problems.push('nothing was sent while Postgres was down (the test did not test that)');
  if (!run.smtpReady) problems.push('the smtp process never opened its port: SMTP was not tested');
  for (const channel of ['http', 'smtp'] as const) {
    const sent = outcomes.filter((o) => o.channel === channel);
    const accepted = sent.filter((o) => o.accepted).length;
    if (sent.length === 0) problems.push(`no report was sent over ${channel}`);
    else if (accepted < sent.length * MIN_ACCEPTED_SHARE) {
      problems.push(`only ${accepted} of ${sent.length} ${channel} reports were accepted (at least ${MIN_ACCEPTED_SHARE * 100} % must be)`);
    }
  }
  if (!v.reputation.checked) problems.push(`reputation was not checked: ${v.reputation.note}`);
  else if (!v.reputation.note.startsWith('equal')) problems.push('reputation counts differ from the reports kept');
  if (run.crashed.length > 0) problems.push(`processes crashed: ${run.crashed.join(', ')}`);
  return problems;
}
