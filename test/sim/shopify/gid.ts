/** Shopify global ids: gid://shopify/<Type>/<numeric id>[?query]. */
export function gid(type: string, id: number | string, query?: Record<string, string | number>): string {
  const qs = query ? `?${Object.entries(query).map(([k, v]) => `${k}=${v}`).join("&")}` : "";
  return `gid://shopify/${type}/${id}${qs}`;
}

export interface ParsedGid {
  type: string;
  id: number;
  params: URLSearchParams;
}

export function parseGid(value: unknown): ParsedGid | null {
  if (typeof value !== "string") return null;
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?(.*))?$/.exec(value);
  if (!m) return null;
  return { type: m[1]!, id: Number(m[2]), params: new URLSearchParams(m[3] ?? "") };
}

/** Numeric id of a gid of the given type, or null when it is malformed or of another type. */
export function idOf(value: unknown, type: string): number | null {
  const parsed = parseGid(value);
  return parsed && parsed.type === type ? parsed.id : null;
}
