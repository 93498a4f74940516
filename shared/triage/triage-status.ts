/**
 * Triage of a case (a campaign, an IP or a tenant): `new → investigating → actioned | false-positive`.
 * A closed case can be reopened (back to investigating) when it comes back; nothing skips the
 * investigation, so every closed case names who looked at it. Pure: the store (api/triage) enforces it.
 */
export const TRIAGE_STATUSES = ['new', 'investigating', 'actioned', 'false-positive'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

export const TRIAGE_SUBJECTS = ['campaign', 'ip', 'tenant'] as const;
export type TriageSubject = (typeof TRIAGE_SUBJECTS)[number];

const NEXT: Record<TriageStatus, readonly TriageStatus[]> = {
  new: ['investigating'],
  investigating: ['actioned', 'false-positive'],
  actioned: ['investigating'],
  'false-positive': ['investigating'],
};

/** The statuses a case may move to from `from` (staying put is always allowed: an assignee change). */
export function nextStatuses(from: TriageStatus): readonly TriageStatus[] {
  return NEXT[from];
}

/** Null when `from → to` is allowed, else why not. */
export function transitionError(from: TriageStatus, to: TriageStatus): string | null {
  if (from === to || NEXT[from].includes(to)) return null;
  return `a ${from} case can move to ${NEXT[from].join(' or ')}, not to ${to}`;
}
