import { afterEach, describe, expect, it } from "vitest";
import { log, redact, registerSecret, setLogSink } from "~/observability/logger.server";

describe("logging never prints secrets", () => {
  const level = process.env.LOG_LEVEL;
  afterEach(() => {
    process.env.LOG_LEVEL = level;
  });

  it("masks fields whose names say they hold a secret, at any depth", () => {
    const out = redact({ shop: "a.myshopify.com", accessToken: "shpat_1", nested: { apiKey: "k", password: "p", list: [{ clientSecret: "s" }] } });
    expect(out).toEqual({ shop: "a.myshopify.com", accessToken: "[redacted]", nested: { apiKey: "[redacted]", password: "[redacted]", list: [{ clientSecret: "[redacted]" }] } });
  });

  it("masks a registered secret value wherever it appears", () => {
    registerSecret("very-secret-value-42");
    const lines: string[] = [];
    process.env.LOG_LEVEL = "debug";
    const previous = setLogSink((line) => lines.push(line));
    try {
      log.info("calling with very-secret-value-42", { url: "https://x/?key=very-secret-value-42" });
    } finally {
      setLogSink(previous);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("very-secret-value-42");
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", msg: "calling with [redacted]", url: "https://x/?key=[redacted]" });
  });
});
