// The simulators' webhook POST: what `fetch(url, { method: "POST", headers, body, signal, redirect })`
// puts on the wire and how it ends (status, or the same errors), on node:http with a keep-alive agent.
//
// Why: the simulators stand in for remote servers but share the benchmark machine's cores, and
// Node 20's fetch (undici + web streams, a never-cleared AbortSignal.timeout per call, a gunzip
// of every compressed answer nobody reads) costs several times what the delivery itself costs.
//
// Same bytes as fetch: the request line, `host`, `connection: keep-alive`, the caller's headers in
// their order and case, then the defaults fetch adds when the caller did not set them (accept,
// accept-language, sec-fetch-mode, user-agent, accept-encoding) and `content-length`. Same
// outcomes: the status once the answer's headers are in (its body is read and dropped, as the
// callers' `arrayBuffer().catch(() => {})` did); a timeout before that rejects with the
// DOMException AbortSignal.timeout gives (name TimeoutError), an abort of `signal` with its
// reason, anything else with TypeError("fetch failed"). `redirect: "follow"` follows 301/302/303/
// 307/308 as fetch does (POST becomes GET without body headers on 301/302/303, at most 20).
// URLs that are not http(s) go to fetch itself.
import http from "node:http";
import https from "node:https";

export interface SimPostOptions {
  url: string;
  /** The caller's headers, in the order fetch would send them. */
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  redirect: "manual" | "follow";
  /** Aborts the request, like fetch's signal (besides the timeout). */
  signal?: AbortSignal;
}

const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** Headers fetch drops when a redirect turns the request into a GET (request-body-header names). */
const BODY_HEADERS = new Set(["content-encoding", "content-language", "content-location", "content-type"]);

interface Hop {
  url: URL;
  method: "POST" | "GET";
  headers: [string, string][];
  body: string | null;
}

function networkError(cause?: unknown): TypeError {
  return new TypeError("fetch failed", cause === undefined ? undefined : { cause });
}

/** The header list fetch sends for a hop (see the capture in test/sim/http-post.test.ts). */
export function fetchHeaderList(url: URL, caller: [string, string][], body: string | null): [string, string][] {
  const has = (name: string) => caller.some(([n]) => n.toLowerCase() === name);
  const list: [string, string][] = [["host", url.host], ["connection", "keep-alive"], ...caller];
  if (body !== null && !has("content-type")) list.push(["content-type", "text/plain;charset=UTF-8"]);
  if (!has("accept")) list.push(["accept", "*/*"]);
  if (!has("accept-language")) list.push(["accept-language", "*"]);
  if (!has("sec-fetch-mode")) list.push(["sec-fetch-mode", "cors"]);
  if (!has("user-agent")) list.push(["user-agent", "node"]);
  if (!has("accept-encoding")) list.push(["accept-encoding", url.protocol === "https:" ? "br, gzip, deflate" : "gzip, deflate"]);
  if (body !== null) list.push(["content-length", String(Buffer.byteLength(body))]);
  return list;
}

/** Resolves with the final status (after following redirects when asked to). */
export async function simPost(options: SimPostOptions): Promise<number> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    url = null as unknown as URL;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return viaFetch(options);
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    let current: http.ClientRequest | null = null;
    let headersIn = false;
    let lastStatus = 0;
    let redirects = 0;
    const finish = (error: unknown, status?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (error === null) resolve(status!);
      else reject(error);
    };
    const stop = (reason: unknown) => {
      // After the answer's headers a timeout or abort only cuts the body read short (fetch's
      // response has resolved by then and the callers drop body errors): the status stands.
      const req = current;
      current = null;
      req?.destroy();
      if (headersIn) finish(null, lastStatus);
      else finish(reason);
    };
    const onAbort = () => stop(options.signal!.reason);
    const timer = setTimeout(() => stop(new DOMException("The operation was aborted due to timeout", "TimeoutError")), options.timeoutMs);
    timer.unref?.(); // as AbortSignal.timeout's timer
    if (options.signal?.aborted) {
      stop(options.signal.reason);
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const send = (hop: Hop) => {
      if (settled) return;
      const lib = hop.url.protocol === "https:" ? https : http;
      const req = lib.request({
        protocol: hop.url.protocol,
        hostname: hop.url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: hop.url.port || undefined,
        path: `${hop.url.pathname}${hop.url.search}`,
        method: hop.method,
        agent: hop.url.protocol === "https:" ? httpsAgent : httpAgent,
        headers: fetchHeaderList(hop.url, hop.headers, hop.body) as unknown as http.OutgoingHttpHeaders,
      });
      current = req;
      req.on("error", (error) => {
        if (current !== req) return;
        current = null;
        if (headersIn) finish(null, lastStatus);
        else finish(networkError(error));
      });
      req.on("response", (res) => {
        if (current !== req) {
          res.resume();
          return;
        }
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (options.redirect === "follow" && REDIRECT_STATUSES.has(status) && location !== undefined) {
          res.resume();
          let next: URL;
          try {
            next = new URL(location, hop.url);
          } catch (error) {
            current = null;
            finish(networkError(error));
            return;
          }
          if ((next.protocol !== "http:" && next.protocol !== "https:") || ++redirects > MAX_REDIRECTS) {
            current = null;
            finish(networkError());
            return;
          }
          const toGet = ((status === 301 || status === 302) && hop.method === "POST") || status === 303;
          let headers = toGet ? hop.headers.filter(([name]) => !BODY_HEADERS.has(name.toLowerCase())) : hop.headers;
          if (next.origin !== hop.url.origin) headers = headers.filter(([name]) => !["authorization", "proxy-authorization", "cookie", "host"].includes(name.toLowerCase()));
          send({ url: next, method: toGet ? "GET" : hop.method, headers, body: toGet ? null : hop.body });
          return;
        }
        headersIn = true;
        lastStatus = status;
        res.on("error", () => undefined);
        res.on("close", () => {
          if (current === req) current = null;
          finish(null, status);
        });
        res.resume();
      });
      if (hop.body === null) req.end();
      else req.end(hop.body);
    };
    send({ url, method: "POST", headers: Object.entries(options.headers), body: options.body });
  });
}

async function viaFetch(options: SimPostOptions): Promise<number> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const response = await fetch(options.url, {
    method: "POST",
    headers: options.headers,
    body: options.body,
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    redirect: options.redirect,
  });
  await response.arrayBuffer().catch(() => undefined);
  return response.status;
}
