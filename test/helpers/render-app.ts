// The app's Remix build loaded through Vite in the test process, to render admin pages with real
// loaders and actions (server rendering only: no browser bundle, no live reload).
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { createServer, type ViteDevServer } from "vite";

const root = path.resolve(import.meta.dirname, "../..");

export async function loadAppForRendering(): Promise<{ vite: ViteDevServer; handle: (request: Request) => Promise<Response> }> {
  const vite = await createServer({
    root,
    configFile: path.join(root, "vite.config.ts"),
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    // Server rendering only: no browser dependency pre-bundling.
    optimizeDeps: { noDiscovery: true, include: [] },
    appType: "custom",
  });
  const build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  return { vite, handle: createRequestHandler(build, "development") };
}
