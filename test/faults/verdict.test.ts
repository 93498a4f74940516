import { expect } from 'chai';
import { faultProblems, type FaultRun } from './verdict.ts';
import type { Outcome } from './traffic.ts';

/**
 * The fault test's verdict (run-faults.ts prints and exits on it). A run that loses nothing because
 * it accepted nothing, sent nothing over SMTP, or never checked reputation must fail.
 */
const OUTAGE = { from: 10_000, to: 20_000 };

/** 300 sends, one per 100 ms, two in three over HTTP; those inside the outage refused. */
function outcomes(accept: (o: Omit<Outcome, 'accepted'>) => boolean = () => true): Outcome[] {
  return Array.from({ length: 300 }, (_, i) => {
    const o = { marker: `m${i}`, channel: (i % 3 === 2 ? 'smtp' : 'http') as Outcome['channel'], startedAt: i * 100, endedAt: i * 100 + 50, code: 0 };
    const during = o.startedAt >= OUTAGE.from && o.endedAt <= OUTAGE.to;
    const accepted = !during && accept(o);
    return { ...o, accepted, code: accepted ? (o.channel === 'http' ? 202 : 250) : (o.channel === 'http' ? 503 : 451) };
  });
}

function run(over: Partial<FaultRun> = {}): FaultRun {
  const outs = over.outcomes ?? outcomes();
  const kept = outs.filter((o) => o.accepted).length;
  return {
    outcomes: outs, outage: OUTAGE, smtpReady: true, crashed: [],
    verdict: {
      accepted: kept, refused: outs.length - kept, lost: [], duplicated: [], keptUnacknowledged: 0, pending: 0,
      reputation: { checked: true, domainReports: kept, domainEvents: kept, note: 'equal to the reports kept' },
    },
    ...over,
  };
}

describe('fault test verdict', () => {
  it('passes a run that kept every accepted report, over both channels, with reputation checked', () => {
    expect(faultProblems(run())).to.deep.equal([]);
  });

  it('fails a run that accepted nothing', () => {
    const problems = faultProblems(run({ outcomes: outcomes(() => false) }));
    expect(problems).to.include('only 0 of 200 http reports were accepted (at least 50 % must be)');
    expect(problems).to.include('only 0 of 100 smtp reports were accepted (at least 50 % must be)');
  });

  it('fails a run where SMTP was silently unused', () => {
    const httpOnly = outcomes().filter((o) => o.channel === 'http');
    expect(faultProblems(run({ outcomes: httpOnly, smtpReady: false }))).to.include.members([
      'the smtp process never opened its port: SMTP was not tested', 'no report was sent over smtp',
    ]);
    expect(faultProblems(run({ outcomes: httpOnly }))).to.deep.equal(['no report was sent over smtp']);
  });

  it('fails a run where SMTP refused most reports outside the outage', () => {
    expect(faultProblems(run({ outcomes: outcomes((o) => o.channel === 'http') }))).to.deep.equal([
      'only 0 of 100 smtp reports were accepted (at least 50 % must be)',
    ]);
  });

  it('fails a run without the reputation check', () => {
    const r = run();
    r.verdict.reputation = { checked: false, domainReports: 0, domainEvents: 0, note: 'the worker wrote no reputation effects' };
    expect(faultProblems(r)).to.deep.equal(['reputation was not checked: the worker wrote no reputation effects']);
    r.verdict.reputation = { checked: true, domainReports: 5, domainEvents: 5, note: 'MISMATCH: 7 reports kept' };
    expect(faultProblems(r)).to.deep.equal(['reputation counts differ from the reports kept']);
  });

  it('fails a run that sent nothing during the Postgres outage, or accepted something then', () => {
    expect(faultProblems(run({ outage: { from: 1e9, to: 1e9 + 1 } }))).to.deep.equal(['nothing was sent while Postgres was down (the test did not test that)']);
    const leaky = outcomes().map((o) => (o.startedAt === 15_000 ? { ...o, accepted: true } : o));
    expect(faultProblems(run({ outcomes: leaky }))).to.include('intake accepted while Postgres was down');
  });

  it('fails on loss, duplicates and crashes', () => {
    const r = run({ crashed: ['worker1'] });
    r.verdict.lost = ['m1'];
    r.verdict.duplicated = ['m2'];
    expect(faultProblems(r)).to.deep.equal(['reports lost', 'reports duplicated', 'processes crashed: worker1']);
  });
});
