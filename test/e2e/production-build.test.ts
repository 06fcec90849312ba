// `npm run build` produces a production build and `npm start` serves it, on SQLite and on
// PostgreSQL: the real bundle answers health checks, takes a signed webhook and its embedded
// worker processes it.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { createDatabaseClient } from "~/db/client.server";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const root = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

interface Served {
  url: string;
  process: ChildProcess;
  output: string[];
}

async function serve(databaseUrl: string): Promise<Served> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn("npm", ["start", "--silent"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "warn",
      VITEST: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.on("data", (d) => output.push(String(d)));
  child.stderr!.on("data", (d) => output.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor("the server to answer /healthz", async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined));
  return { url, process: child, output };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to npm start's whole process group; true once every process in it has exited. */
async function stop(served: Served | undefined, timeoutMs = 15_000): Promise<boolean> {
  const pgid = served?.process.pid;
  if (!pgid || !groupAlive(pgid)) return true;
  process.kill(-pgid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(-pgid, "SIGKILL");
  return false;
}

describe("production build", () => {
  beforeAll(() => {
    execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "pipe", env: { ...process.env, NODE_ENV: "production" } });
  }, 240_000);

  for (const kind of ["sqlite", "postgresql"] as const) {
    describe(`served by npm start on ${kind}`, () => {
      let database: TestDatabase;
      let served: Served | undefined;
      const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-build-"));

      beforeAll(async () => {
        database = kind === "sqlite"
          ? { kind, url: `file:${path.join(dir, "app.sqlite")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) }
          : await createTestDatabase("postgresql");
        if (kind === "sqlite") {
          execFileSync(process.execPath, ["prisma/cli.mjs", "migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: database.url }, stdio: "pipe" });
        }
        served = await serve(database.url);
      }, 60_000);

      afterAll(async () => {
        await stop(served);
        await database?.drop();
      });

      it("answers the health check from the database", async () => {
        const response = await fetch(`${served!.url}/healthz`);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ ok: true });
      });

      it("takes a signed webhook in the built app and its embedded worker processes it", async () => {
        const body = JSON.stringify({ id: 77, name: "#1077", line_items: [], updated_at: "2026-11-20T10:00:00Z" });
        const response = await fetch(`${served!.url}/webhooks/orders/create`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Shop-Domain": "built.myshopify.com",
            "X-Shopify-Webhook-Id": `build-${kind}`,
            "X-Shopify-API-Version": "2026-07",
            "X-Shopify-Hmac-Sha256": getHmac(body, process.env.SHOPIFY_API_SECRET!),
          },
          body,
        });
        expect(response.status).toBe(200);
        const bad = await fetch(`${served!.url}/webhooks/orders/create`, {
          method: "POST",
          headers: { "X-Shopify-Topic": "orders/create", "X-Shopify-Hmac-Sha256": "bm9wZQ==" },
          body,
        });
        expect(bad.status).toBe(401);

        const client = createDatabaseClient(database.url);
        try {
          // The shop never installed, so the worker records the webhook as ignored: processed, not lost.
          const row = await waitFor("the worker to process the webhook", async () => {
            const inbox = await client.webhookInbox.findFirst({ where: { shop: "built.myshopify.com" } });
            return inbox && inbox.status !== "received" ? inbox : undefined;
          });
          expect(row.status).toBe("ignored");
          expect(await client.webhookInbox.count({ where: { shop: "built.myshopify.com" } })).toBe(1);
        } finally {
          await client.$disconnect();
        }
      });

      it("sends a request without a Shopify session to authentication, not to an error page", async () => {
        const response = await fetch(`${served!.url}/app?shop=built.myshopify.com`, { redirect: "manual" });
        expect(response.status).toBeLessThan(500);
        expect(served!.output.join("")).not.toMatch(/Error: /);
      });

      it("stops on SIGTERM: the HTTP server and the job runner both shut down", async () => {
        expect(await stop(served)).toBe(true);
      });
    });
  }
});
