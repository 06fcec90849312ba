// The production HTTP server (`npm start`): what remix-serve does, with Shopify webhooks answered
// before Express and Remix see them (app/webhooks/fast-path.server.ts explains why).
//
//   node app/server.mjs [build/server/index.js]      PORT (default 3000), HOST (default all)
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";

process.env.NODE_ENV = process.env.NODE_ENV ?? "production";

const buildPath = path.resolve(process.argv[2] ?? "build/server/index.js");
const build = await import(pathToFileURL(buildPath).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });

// Exported by app/entry.server.tsx, so the fast path shares the app's modules and database clients.
const { handleWebhook, closeWebhookIntake } = build.entry.module;

const app = express();
app.disable("x-powered-by");
app.use(compression());
// Fingerprinted assets never change; everything else in public/ may.
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const server = http.createServer((req, res) => {
  if (handleWebhook(req, res)) return;
  app(req, res);
});
// Shopify waits 5 s for an answer; keep connections open longer than its client does.
server.keepAliveTimeout = 65_000;

const port = Number(process.env.PORT || 3000);
const onListen = () => console.log(`[tallysync] http://localhost:${port}`);
if (process.env.HOST) server.listen(port, process.env.HOST, onListen);
else server.listen(port, onListen);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    // With the embedded job runner, the runner exits once its jobs finish (app/jobs/worker.server.ts).
    server.close(() => {
      if (!globalThis.tallysyncRunner) void closeWebhookIntake().finally(() => process.exit(0));
    });
    server.closeIdleConnections?.();
  });
}
