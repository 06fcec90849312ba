// Structured JSON logging that never prints a secret.
//
// Two defences: fields whose name says "secret" (token, password, key, credentials...) are masked
// whatever their value, and every secret value the app has handled (registered when credentials
// are encrypted or decrypted) is masked wherever it appears in a message or field.
type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, unknown>;

const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /(secret|token|password|passwd|credential|api[-_]?key|authorization|cookie|hmac|private)/i;
const MASK = "[redacted]";
const MIN_SECRET_LENGTH = 4;

const knownSecrets = new Set<string>();

/** Remember a value that must never be logged. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= MIN_SECRET_LENGTH) knownSecrets.add(value);
}

export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[deep]";
  if (typeof value === "string") return redactText(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const out: Fields = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_FIELD.test(key) ? MASK : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stdout.write(line + "\n");

/** Tests swap the sink to read what would have been logged. */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info")) as Level;
  return LEVELS[level] ?? LEVELS.info;
}

function write(level: Level, message: string, fields?: Fields): void {
  if (LEVELS[level] < threshold()) return;
  const entry = { level, time: new Date().toISOString(), msg: redactText(message), ...(fields ? (redact(fields) as Fields) : {}) };
  sink(JSON.stringify(entry));
}

export const log = {
  debug: (message: string, fields?: Fields) => write("debug", message, fields),
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};
