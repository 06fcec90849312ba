// The shop's offline Admin API access outside a merchant's request (jobs), kept for a few seconds:
// loading the session is a database read, and a flash sale asks for it several times per order.
// A reinstall stores a new token; a job that meets the old one within the window fails with 401
// and is retried with the new one.
const KEEP_MS = 10_000;

type OfflineAdmin = Awaited<ReturnType<(typeof import("../shopify.server"))["unauthenticated"]["admin"]>>["admin"];

const cache = new Map<string, { admin: Promise<OfflineAdmin>; until: number }>();

export function offlineAdmin(shop: string): Promise<OfflineAdmin> {
  const now = Date.now();
  const kept = cache.get(shop);
  if (kept && kept.until > now) return kept.admin;
  const admin = import("../shopify.server").then(({ unauthenticated }) => unauthenticated.admin(shop)).then((context) => context.admin);
  cache.set(shop, { admin, until: now + KEEP_MS });
  // A failed load (no session yet) is not kept.
  admin.catch(() => cache.delete(shop));
  return admin;
}

/** After an uninstall or a new session, the next call loads the session again. */
export function forgetOfflineAdmin(shop: string): void {
  cache.delete(shop);
}
