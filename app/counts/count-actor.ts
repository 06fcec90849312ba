// Who did something to a count, as kept on its history, its lines (counted by) and its assignee:
//
// - "staff:<user id>": a staff member of the shop, by the user id of the Shopify admin session
//   token (its `sub` claim). Stable: a staff member renamed or with a new email is the same person;
// - "system" (or "scheduler", in older rows): TallySync itself, the scheduler and the posting job;
// - anything else is a name as it was given: an assignee typed in, an email of an online session,
//   or the shop's domain (older rows, before staff members were told apart).
// Pure.

const STAFF_PREFIX = "staff:";
const SYSTEM_ACTORS = new Set(["system", "scheduler"]);
/** Shopify user ids are numbers; anything else in `sub` is kept, within reason. */
const MAX_USER_ID_LENGTH = 64;

export type CountActor = { kind: "system" } | { kind: "staff"; userId: string } | { kind: "named"; name: string };

/** The actor id of a staff member, from the user id of their session token; null when there is none. */
export function staffActorId(userId: string | number | null | undefined): string | null {
  if (userId == null) return null;
  const id = String(userId).trim();
  if (id === "" || id.length > MAX_USER_ID_LENGTH || /\s/.test(id)) return null;
  return `${STAFF_PREFIX}${id}`;
}

/** What an actor id stands for. */
export function countActor(actor: string): CountActor {
  if (SYSTEM_ACTORS.has(actor)) return { kind: "system" };
  if (actor.startsWith(STAFF_PREFIX) && actor.length > STAFF_PREFIX.length) return { kind: "staff", userId: actor.slice(STAFF_PREFIX.length) };
  return { kind: "named", name: actor };
}
