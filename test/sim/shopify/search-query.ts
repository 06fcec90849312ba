/**
 * A small subset of Shopify's search syntax: `field:value` terms joined by spaces (AND) or `OR`,
 * `-field:value` / `NOT` negation, comparators `field:>x` `field:<=x`, a trailing `*` for prefix match,
 * quoted values, and bare words matched against the record's default text.
 */
export type SearchFields = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

interface Term {
  field: string | null;
  op: "=" | ">" | "<" | ">=" | "<=";
  value: string;
  negate: boolean;
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const re = /(-?[\w.]+:(?:[<>]=?)?"[^"]*")|(-?[\w.]+:(?:[<>]=?)?\S+)|("[^"]*")|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(query))) tokens.push(m[0]);
  return tokens;
}

function parseTerm(token: string): Term {
  let negate = false;
  let t = token;
  if (t.startsWith("-")) {
    negate = true;
    t = t.slice(1);
  }
  const m = /^([\w.]+):(>=|<=|>|<)?(.*)$/.exec(t);
  const unquote = (v: string) => v.replace(/^"(.*)"$/, "$1");
  if (!m) return { field: null, op: "=", value: unquote(t), negate };
  return { field: m[1]!, op: (m[2] as Term["op"]) ?? "=", value: unquote(m[3] ?? ""), negate };
}

function compare(actual: string | number, term: Term): boolean {
  const a = typeof actual === "number" ? actual : String(actual);
  const numeric = typeof a === "number" && !Number.isNaN(Number(term.value));
  if (term.op !== "=") {
    const left = numeric ? (a as number) : String(a);
    const right = numeric ? Number(term.value) : term.value;
    if (term.op === ">") return left > right;
    if (term.op === "<") return left < right;
    if (term.op === ">=") return left >= right;
    return left <= right;
  }
  const want = term.value.toLowerCase();
  const have = String(a).toLowerCase();
  if (want.endsWith("*")) return have.startsWith(want.slice(0, -1));
  return have === want;
}

function termMatches(fields: SearchFields, defaultText: string, term: Term): boolean {
  let result: boolean;
  if (term.field === null) {
    result = defaultText.toLowerCase().includes(term.value.toLowerCase());
  } else {
    const raw = fields[term.field];
    // Shopify ignores filters on unknown fields rather than failing the query.
    if (!(term.field in fields)) return true;
    const values = Array.isArray(raw) ? raw : [raw];
    result = values.some((v) => v !== null && v !== undefined && compare(v as string | number, term));
  }
  return term.negate ? !result : result;
}

export function matchesSearch(query: string | null | undefined, fields: SearchFields, defaultText = ""): boolean {
  if (!query || !query.trim()) return true;
  const groups: Term[][] = [[]];
  let negateNext = false;
  for (const token of tokenize(query)) {
    if (token === "OR") {
      groups.push([]);
      continue;
    }
    if (token === "AND") continue;
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    const term = parseTerm(token);
    if (negateNext) term.negate = !term.negate;
    negateNext = false;
    groups[groups.length - 1]!.push(term);
  }
  return groups.some((terms) => terms.every((t) => termMatches(fields, defaultText, t)));
}
