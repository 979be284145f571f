import type { Logger } from '@nestjs/common';
import { describeError } from '../common/relayer-error';

/**
 * Runs `round` again and again with `intervalMs` between the end of one round and the start of the next (none when
 * the round reports more work ready): rounds never overlap. `stop()` resolves once the round in progress (if any) has finished.
 */
export class Loop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = true;
  private nudged = false;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly round: () => Promise<unknown>,
    private readonly logger: Logger,
    /** Given a round's result: is more work ready right now? Then the next round starts at once instead of after intervalMs. */
    private readonly busy: (result: unknown) => boolean = () => false,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  /** Work arrived from another stage: a loop waiting out its interval starts its next round now; a running one goes again when done. */
  nudge(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.schedule(0);
    } else if (this.current !== undefined) this.nudged = true; // the round may have looked already: go again after it
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.nudged = false;
      this.current = this.run().then((again) => {
        this.current = undefined;
        this.schedule(again || this.nudged ? 0 : this.intervalMs);
      });
    }, delay);
  }

  /** One round; true when it says more work is ready. A failed round waits the interval. */
  private async run(): Promise<boolean> {
    try {
      return this.busy(await this.round());
    } catch (error) {
      this.logger.error(`${this.name}: round failed: ${describeError(error)}`);
      return false;
    }
  }
}
