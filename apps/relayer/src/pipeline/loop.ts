import type { Logger } from '@nestjs/common';
import { describeError } from '../common/relayer-error';

/**
 * Runs `round` again and again with `intervalMs` between the end of one round and the start of the next:
 * rounds never overlap. `stop()` resolves once the round in progress (if any) has finished.
 */
export class Loop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = true;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly round: () => Promise<unknown>,
    private readonly logger: Logger,
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

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.current = this.run().finally(() => {
        this.current = undefined;
        this.schedule(this.intervalMs);
      });
    }, delay);
  }

  private async run(): Promise<void> {
    try {
      await this.round();
    } catch (error) {
      this.logger.error(`${this.name}: round failed: ${describeError(error)}`);
    }
  }
}
