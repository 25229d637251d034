import { OfflineProcessor } from '../../src/processing/offline/offline-processor.ts';
import type { ConversationProcessor, ProcessingInput, SummaryResult } from '../../src/processing/processor.ts';

/**
 * The offline processor with a gate in front of `summarize`: a create request stops inside
 * processing until the test opens the gate, so "a retry while the first is still processing"
 * happens for certain, not by timing.
 */
export class GatedProcessor implements ConversationProcessor {
  readonly kind = 'offline' as const;
  private readonly inner = new OfflineProcessor();
  private waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private arrivals: (() => void)[] = [];
  closed = false;
  /** How many summaries were computed (a retry answered from the stored record adds none). */
  calls = 0;

  async summarize(input: ProcessingInput): Promise<SummaryResult> {
    this.calls++;
    if (this.closed) {
      await new Promise<void>((resolve, reject) => {
        this.waiting.push({ resolve, reject });
        this.arrivals.shift()?.();
      });
    }
    return this.inner.summarize(input);
  }

  extractMemories: ConversationProcessor['extractMemories'] = (input, context) => this.inner.extractMemories(input, context);
  summarizeDay: ConversationProcessor['summarizeDay'] = (input) => this.inner.summarizeDay(input);

  /** Resolves once a request is held at the gate. */
  arrived(): Promise<void> {
    if (this.waiting.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  /** Lets the oldest held request go on (or fail with `error`). */
  release(error?: Error): void {
    const next = this.waiting.shift();
    if (error) next?.reject(error);
    else next?.resolve();
  }
}
