// Where the database work goes, for benchmarks: with TALLYSYNC_QUERY_STATS=<file> every Prisma
// operation is counted and timed per job type (or "web" outside jobs) and per model.operation, and
// the totals are written to <file> as JSON every few seconds and when the process exits. Off by
// default: the extension costs a little on every query.
import { AsyncLocalStorage } from "node:async_hooks";
import { writeFileSync } from "node:fs";

const current = new AsyncLocalStorage<string>();

interface Tally {
  count: number;
  ms: number;
}

const byContext = new Map<string, Map<string, Tally>>();
const jobs = new Map<string, Tally>();

export function queryStatsFile(): string | undefined {
  return process.env.TALLYSYNC_QUERY_STATS || undefined;
}

/** Runs `work` with database operations counted under `label` (a job type). */
export function withQueryLabel<T>(label: string, work: () => Promise<T>): Promise<T> {
  if (!queryStatsFile()) return work();
  const started = performance.now();
  return current.run(label, work).finally(() => {
    const tally = jobs.get(label) ?? { count: 0, ms: 0 };
    tally.count += 1;
    tally.ms += performance.now() - started;
    jobs.set(label, tally);
  });
}

export function countQuery(model: string | undefined, operation: string, ms: number): void {
  const label = current.getStore() ?? "outside jobs";
  let tallies = byContext.get(label);
  if (!tallies) byContext.set(label, (tallies = new Map()));
  const key = `${model ?? "$raw"}.${operation}`;
  const tally = tallies.get(key) ?? { count: 0, ms: 0 };
  tally.count += 1;
  tally.ms += ms;
  tallies.set(key, tally);
  scheduleWrite();
}

const statements = new Map<string, Tally>();

/** Time spent in SQLite itself on one SQL text (the SQLite adapter, with the stats on). */
export function countStatement(sql: string, ms: number): void {
  const tally = statements.get(sql) ?? { count: 0, ms: 0 };
  tally.count += 1;
  tally.ms += ms;
  statements.set(sql, tally);
}

let timer: NodeJS.Timeout | undefined;
function scheduleWrite() {
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    writeQueryStats();
  }, 5_000);
  timer.unref();
}

export function writeQueryStats(): void {
  const file = queryStatsFile();
  if (!file) return;
  const round = (n: number) => Math.round(n * 10) / 10;
  const out: Record<string, unknown> = {};
  for (const [label, tallies] of byContext) {
    const job = jobs.get(label);
    const total = [...tallies.values()].reduce((sum, t) => ({ count: sum.count + t.count, ms: sum.ms + t.ms }), { count: 0, ms: 0 });
    out[label] = {
      runs: job?.count ?? null,
      runMs: job ? round(job.ms) : null,
      queries: total.count,
      queriesPerRun: job ? round(total.count / job.count) : null,
      queryMs: round(total.ms),
      operations: Object.fromEntries([...tallies.entries()].sort((a, b) => b[1].count - a[1].count).map(([key, t]) => [key, { count: t.count, ms: round(t.ms) }])),
    };
  }
  if (statements.size) {
    out["sql statements (SQLite time, slowest 40)"] = [...statements.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 40)
      .map(([sql, t]) => ({ ms: round(t.ms), count: t.count, sql: sql.slice(0, 400) }));
  }
  writeFileSync(`${file}.${process.pid}.json`, JSON.stringify(out, null, 2));
}

if (queryStatsFile()) process.once("exit", writeQueryStats);
