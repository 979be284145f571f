import { Logger } from '@nestjs/common';
import { Loop } from './loop';

const logger = new Logger('loop-test');
const until = async (done: () => boolean): Promise<void> => {
  while (!done()) await new Promise((r) => setImmediate(r));
};

describe('Loop', () => {
  it('goes again at once while the round reports more work, then waits its interval', async () => {
    let rounds = 0;
    const loop = new Loop('t', 3_600_000, () => Promise.resolve(++rounds), logger, (r) => (r as number) < 3); // the round returns its count
    loop.start();
    await until(() => rounds === 3);
    await new Promise((r) => setTimeout(r, 20));
    expect(rounds).toBe(3); // the third said "no more": the next one is an hour away
    await loop.stop();
  });

  it('a nudge starts a waiting loop now, and makes a running one go again when it ends', async () => {
    let rounds = 0;
    let release: (() => void) | undefined;
    const loop = new Loop('t', 3_600_000, async () => {
      rounds++;
      if (rounds === 2) await new Promise<void>((r) => (release = r));
    }, logger);
    loop.start();
    await until(() => rounds === 1);
    await new Promise((r) => setTimeout(r, 5));
    loop.nudge(); // waiting out the interval → round 2 now
    await until(() => release !== undefined);
    loop.nudge(); // round 2 is running → round 3 right after it
    release!();
    await until(() => rounds === 3);
    await loop.stop();
    expect(rounds).toBe(3);
  });
});
