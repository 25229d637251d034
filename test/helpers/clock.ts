import type { Clock } from '../../src/lib/time.ts';

/** A clock tests can move. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-01-15T10:00:00.000Z')) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(iso: string) {
    this.current = new Date(iso);
  }
}
