import { expect } from 'chai';
import { Gate } from '../../workers/submissions/gate.ts';

describe('Gate (one large message at a time per worker)', () => {
  it('runs at most `slots` tasks at once, in arrival order, and passes errors through', async () => {
    const gate = new Gate(1);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        order.push(n);
        releases.push(() => {
          running--;
          resolve(n);
        });
      });
    const runs = [1, 2, 3].map((n) => gate.run(task(n)));
    const failing = gate.run(async () => {
      throw new Error('boom');
    });
    // Release each task as soon as it has started; the next starts only then.
    for (let i = 0; i < 3; i++) {
      while (releases.length <= i) await Promise.resolve();
      releases[i]!();
    }
    expect(await Promise.all(runs)).to.deep.equal([1, 2, 3]);
    await failing.then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.equal('boom'));
    expect(order).to.deep.equal([1, 2, 3]);
    expect(peak).to.equal(1);
    expect(await gate.run(async () => 'free again')).to.equal('free again');
  });
});
