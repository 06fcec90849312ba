// simPost (../sim/http-post.ts) against fetch itself: the same bytes on the wire and the same
// outcome, for the simulators' two webhook senders' options and the odd cases (redirects, timeouts,
// aborts, refused connections, compressed answers).
import net from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { simPost, type SimPostOptions } from "./http-post";

interface Seen {
  raw: string;
}

/** A raw TCP server: records every request's bytes and answers per path. */
function rawServer(answer: (path: string, method: string) => string | Buffer | "hang" | "slow-body") {
  const seen: Seen[] = [];
  const sockets = new Set<net.Socket>();
  const counts = { connections: 0 };
  const server = net.createServer((socket) => {
    counts.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buf = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buf.subarray(0, end).toString("latin1");
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const raw = buf.subarray(0, end + 4 + length).toString("latin1");
        buf = buf.subarray(end + 4 + length);
        seen.push({ raw });
        const [method, path] = head.split(" ");
        const reply = answer(path!, method!);
        if (reply === "hang") continue;
        if (reply === "slow-body") {
          socket.write("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc");
          continue;
        }
        socket.write(reply);
      }
    });
  });
  return {
    seen,
    counts,
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return (server.address() as net.AddressInfo).port;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const ok = (body = "ok") => `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const redirect = (status: number, location: string) => `HTTP/1.1 ${status} Moved\r\nlocation: ${location}\r\ncontent-length: 0\r\n\r\n`;

let port = 0;
let otherPort = 0;
const server = rawServer((path) => {
  if (path.startsWith("/r301")) return redirect(301, "/done?from=301");
  if (path.startsWith("/r302")) return redirect(302, "/done?from=302");
  if (path.startsWith("/r303")) return redirect(303, "/done?from=303");
  if (path.startsWith("/r307")) return redirect(307, "/done?from=307");
  if (path.startsWith("/r308")) return redirect(308, `http://127.0.0.1:${port}/r307`);
  if (path.startsWith("/cross")) return redirect(307, `http://127.0.0.1:${otherPort}/elsewhere`);
  if (path.startsWith("/loop")) return redirect(302, "/loop");
  if (path.startsWith("/nolocation")) return "HTTP/1.1 302 Found\r\ncontent-length: 0\r\n\r\n";
  if (path.startsWith("/badscheme")) return redirect(302, "ftp://example.invalid/x");
  if (path.startsWith("/fail")) return "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 5\r\n\r\nerror";
  if (path.startsWith("/gzip")) {
    const body = gzipSync(Buffer.from(JSON.stringify({ ok: true, pad: "x".repeat(2000) })));
    return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: ${body.length}\r\n\r\n`), body]);
  }
  if (path.startsWith("/badgzip")) return "HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: 4\r\n\r\nnope";
  if (path.startsWith("/hang")) return "hang";
  if (path.startsWith("/slow-body")) return "slow-body";
  return ok();
});
const other = rawServer(() => ok("other"));

beforeAll(async () => {
  port = await server.listen();
  otherPort = await other.listen();
});
afterAll(async () => {
  await server.close();
  await other.close();
});

const SHOPIFY_HEADERS = {
  "Content-Type": "application/json",
  "User-Agent": "Shopify-Captain-Hook",
  "X-Shopify-Hmac-Sha256": "c2lnbmF0dXJl",
  "X-Shopify-Shop-Domain": "shop.myshopify.com",
  "X-Shopify-Topic": "orders/create",
  "X-Shopify-API-Version": "2026-07",
  "X-Shopify-Webhook-Id": "b4c5",
  "X-Shopify-Event-Id": "e6f7",
  "X-Shopify-Triggered-At": "2026-01-01T00:00:00.000Z",
};
const WMS_HEADERS = {
  "content-type": "application/json",
  "user-agent": "TallySync-WMS-Simulator/1.0",
  "x-tallysync-event-id": "evt_000001",
  "x-tallysync-topic": "shipment.created",
  "x-tallysync-signature": "t=1,v1=abc",
};

type Outcome = { status: number } | { error: { name: string; message: string } };

async function viaFetch(o: SimPostOptions): Promise<Outcome> {
  try {
    const timeout = AbortSignal.timeout(o.timeoutMs);
    const res = await fetch(o.url, { method: "POST", headers: o.headers, body: o.body, signal: o.signal ? AbortSignal.any([o.signal, timeout]) : timeout, redirect: o.redirect });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status };
  } catch (e) {
    return { error: { name: (e as Error).name, message: (e as Error).message } };
  }
}

async function viaSimPost(o: SimPostOptions): Promise<Outcome> {
  try {
    return { status: await simPost(o) };
  } catch (e) {
    return { error: { name: (e as Error).name, message: (e as Error).message } };
  }
}

/** Runs both, one after the other, and returns what each sent (host header ports aside, same server). */
async function both(o: SimPostOptions) {
  const from = server.seen.length;
  const fromOther = other.seen.length;
  const a = await viaFetch(o);
  const sentByFetch = server.seen.slice(from).map((s) => s.raw);
  const otherByFetch = other.seen.slice(fromOther).map((s) => s.raw);
  const mid = server.seen.length;
  const midOther = other.seen.length;
  const b = await viaSimPost(o);
  return {
    fetch: { outcome: a, sent: sentByFetch, other: otherByFetch },
    simPost: { outcome: b, sent: server.seen.slice(mid).map((s) => s.raw), other: other.seen.slice(midOther).map((s) => s.raw) },
  };
}

const body = JSON.stringify({ id: 1, name: "#1001", note: "naïve café ✓" });
const url = (path: string) => `http://127.0.0.1:${port}${path}`;

describe("simPost sends what fetch sends and ends as fetch ends", () => {
  test.each([
    ["Shopify sender", "/webhooks", SHOPIFY_HEADERS, "manual"],
    ["WMS sender", "/webhooks/warehouse?x=1", WMS_HEADERS, "follow"],
    ["no user agent or content type", "/plain", { "X-Zed": "1", Accept: "x/y", "b-Header": "2" }, "follow"],
    ["a 500", "/fail", SHOPIFY_HEADERS, "manual"],
    ["a gzip answer", "/gzip", WMS_HEADERS, "follow"],
    ["a broken gzip answer", "/badgzip", SHOPIFY_HEADERS, "manual"],
    ["a redirect, not followed", "/r302", SHOPIFY_HEADERS, "manual"],
    ["301 followed (POST becomes GET)", "/r301", WMS_HEADERS, "follow"],
    ["302 followed (POST becomes GET)", "/r302", WMS_HEADERS, "follow"],
    ["303 followed (GET)", "/r303", WMS_HEADERS, "follow"],
    ["307 followed (POST again)", "/r307", WMS_HEADERS, "follow"],
    ["308 to an absolute URL, then 307", "/r308", WMS_HEADERS, "follow"],
    ["307 to another origin", "/cross", WMS_HEADERS, "follow"],
    ["a redirect without location", "/nolocation", WMS_HEADERS, "follow"],
    ["a redirect to another scheme", "/badscheme", WMS_HEADERS, "follow"],
    ["too many redirects", "/loop", WMS_HEADERS, "follow"],
  ] as const)("%s", async (_name, path, headers, mode) => {
    const r = await both({ url: url(path), headers: { ...headers }, body, timeoutMs: 5000, redirect: mode });
    expect(r.simPost.outcome).toEqual(r.fetch.outcome);
    expect(r.simPost.sent).toEqual(r.fetch.sent);
    expect(r.simPost.other).toEqual(r.fetch.other);
    expect(r.fetch.sent.length).toBeGreaterThan(0);
  });

  test("a timeout before the answer rejects with fetch's TimeoutError", async () => {
    const r = await both({ url: url("/hang"), headers: SHOPIFY_HEADERS, body, timeoutMs: 200, redirect: "manual" });
    expect(r.fetch.outcome).toEqual({ error: { name: "TimeoutError", message: "The operation was aborted due to timeout" } });
    expect(r.simPost.outcome).toEqual(r.fetch.outcome);
    expect(r.simPost.sent).toEqual(r.fetch.sent);
  });

  test("a timeout while the body is still coming keeps the status, as fetch's dropped body read did", async () => {
    const r = await both({ url: url("/slow-body"), headers: WMS_HEADERS, body, timeoutMs: 200, redirect: "follow" });
    expect(r.fetch.outcome).toEqual({ status: 200 });
    expect(r.simPost.outcome).toEqual(r.fetch.outcome);
  });

  test("an abort rejects with the signal's reason; an aborted signal sends nothing", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const hung = await viaSimPost({ url: url("/hang"), headers: WMS_HEADERS, body, timeoutMs: 5000, redirect: "follow", signal: controller.signal });
    const byFetch = await viaFetch({ url: url("/hang"), headers: WMS_HEADERS, body, timeoutMs: 5000, redirect: "follow", signal: controller.signal });
    expect(byFetch).toEqual({ error: { name: "AbortError", message: "This operation was aborted" } });
    expect(hung).toEqual(byFetch);
    const before = server.seen.length;
    expect(await viaSimPost({ url: url("/webhooks"), headers: WMS_HEADERS, body, timeoutMs: 5000, redirect: "follow", signal: controller.signal })).toEqual(byFetch);
    expect(server.seen.length).toBe(before);
  });

  test("a refused connection is fetch's TypeError: fetch failed", async () => {
    const closed = rawServer(() => ok());
    const closedPort = await closed.listen();
    await closed.close();
    const o = { url: `http://127.0.0.1:${closedPort}/webhooks`, headers: SHOPIFY_HEADERS, body, timeoutMs: 2000, redirect: "manual" } as const;
    const a = await viaFetch(o);
    expect(a).toEqual({ error: { name: "TypeError", message: "fetch failed" } });
    expect(await viaSimPost(o)).toEqual(a);
  });

  test("a URL fetch cannot parse fails as fetch fails", async () => {
    const o = { url: "not a url", headers: SHOPIFY_HEADERS, body, timeoutMs: 2000, redirect: "manual" } as const;
    expect(await viaSimPost(o)).toEqual(await viaFetch(o));
  });

  test("connections are kept alive and reused", async () => {
    const from = server.seen.length;
    await simPost({ url: url("/webhooks"), headers: SHOPIFY_HEADERS, body, timeoutMs: 2000, redirect: "manual" });
    const connections = server.counts.connections;
    for (let i = 0; i < 5; i++) expect(await simPost({ url: url("/webhooks"), headers: SHOPIFY_HEADERS, body, timeoutMs: 2000, redirect: "manual" })).toBe(200);
    expect(server.seen.slice(from)).toHaveLength(6);
    expect(server.counts.connections).toBe(connections);
    expect(server.seen.slice(from).every((s) => s.raw.includes("\r\nconnection: keep-alive\r\n"))).toBe(true);
  });
});
