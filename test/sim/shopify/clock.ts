/** Simulated clock: real time plus a manual offset, with timers that fire on real time or on advance(). */
export interface ScheduledTask {
  id: number;
  dueAt: number;
  run: () => void;
  timer: NodeJS.Timeout;
}

export class SimClock {
  private offsetMs = 0;
  private nextId = 1;
  private readonly tasks = new Map<number, ScheduledTask>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  iso(): string {
    return this.date().toISOString();
  }

  /** Runs `run` when the simulated clock reaches now()+delayMs (real waiting or advance()). */
  schedule(delayMs: number, run: () => void): number {
    const id = this.nextId++;
    const dueAt = this.now() + Math.max(0, delayMs);
    const timer = setTimeout(() => this.fire(id), Math.max(0, delayMs));
    timer.unref?.();
    this.tasks.set(id, { id, dueAt, run, timer });
    return id;
  }

  cancel(id: number): void {
    const task = this.tasks.get(id);
    if (!task) return;
    clearTimeout(task.timer);
    this.tasks.delete(id);
  }

  /** Moves simulated time forward and fires every task that became due, in due order. */
  advance(ms: number): void {
    this.offsetMs += ms;
    const due = [...this.tasks.values()].filter((t) => t.dueAt <= this.now()).sort((a, b) => a.dueAt - b.dueAt);
    for (const task of due) this.fire(task.id);
  }

  pending(): number {
    return this.tasks.size;
  }

  stop(): void {
    for (const task of this.tasks.values()) clearTimeout(task.timer);
    this.tasks.clear();
  }

  private fire(id: number): void {
    const task = this.tasks.get(id);
    if (!task) return;
    clearTimeout(task.timer);
    this.tasks.delete(id);
    task.run();
  }
}
