import { db } from "../db.server";

// Liveness and database reachability for load balancers; no shop data.
export const loader = async () => {
  const started = Date.now();
  await db.shop.count({ where: { shop: "healthz.invalid" } });
  return Response.json({ ok: true, databaseMs: Date.now() - started });
};
