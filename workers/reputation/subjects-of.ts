import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import type { SubjectKind } from '../../shared/reputation/store/subject-state.ts';

export interface SubjectRef {
  kind: SubjectKind;
  key: string;
  /** An IP inside the platform (the egress of an outbound report): scored, never listed. */
  platform: boolean;
}

/**
 * The subjects one report speaks about: relay IP, originating IP (when different), the
 * originating tenant, the sending domain. Keys are normalised so one subject is one row. Takes an
 * analysed report or a stored one (a report promoted later is scored from its row).
 */
export type SubjectSource = Pick<AnalyzedReport, 'relayIp' | 'originatingIp' | 'viaPlatform' | 'tenant' | 'sendingDomain' | 'fromDomain'>;

export function subjectsOf(r: SubjectSource, isPlatformIp: (ip: string) => boolean = () => false): SubjectRef[] {
  const out = new Map<string, SubjectRef>();
  const add = (kind: SubjectKind, key: string | null, platform = false) => {
    const k = key?.trim().toLowerCase();
    if (!k) return;
    const id = `${kind}\u0000${k}`;
    const prev = out.get(id);
    out.set(id, { kind, key: k, platform: platform || (prev?.platform ?? false) });
  };
  if (r.relayIp) add('ip', r.relayIp, r.viaPlatform || isPlatformIp(r.relayIp));
  if (r.originatingIp) add('ip', r.originatingIp, isPlatformIp(r.originatingIp));
  add('tenant', r.tenant);
  add('domain', r.sendingDomain ?? r.fromDomain);
  return [...out.values()];
}
