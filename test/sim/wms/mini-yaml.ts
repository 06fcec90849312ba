// Reads the block-style YAML subset the protocol document is written in (mappings, sequences,
// quoted and plain scalars, `|` block scalars, empty `[]`/`{}` and flat flow lists), so the tests can
// check the document without a YAML dependency. Anything outside the subset throws, which keeps the
// document in the subset.

interface Line {
  indent: number;
  text: string;
  number: number;
}

export function parseYamlSubset(source: string): unknown {
  const lines: Line[] = source.split(/\r?\n/).map((raw, i) => ({
    indent: raw.length - raw.trimStart().length,
    text: raw.trim(),
    number: i + 1,
  }));
  const parser = new Parser(lines);
  const value = parser.block(0);
  parser.expectEnd();
  return value;
}

class Parser {
  private position = 0;

  constructor(private readonly lines: Line[]) {}

  block(indent: number): unknown {
    const line = this.peek();
    if (!line || line.indent < indent) return null;
    return line.text.startsWith("- ") || line.text === "-" ? this.sequence(line.indent) : this.mapping(line.indent);
  }

  expectEnd(): void {
    const line = this.peek();
    if (line) throw this.error(line, "unexpected content");
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.peek(); line && line.indent === indent; line = this.peek()) {
      if (line.text.startsWith("- ")) throw this.error(line, "sequence item where a mapping key was expected");
      const { key, rest } = this.splitKey(line);
      if (Object.hasOwn(out, key)) throw this.error(line, `duplicate key ${key}`);
      this.position++;
      out[key] = this.value(rest, indent, line);
    }
    const next = this.peek();
    if (next && next.indent > indent) throw this.error(next, "unexpected indentation");
    return out;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.peek(); line && line.indent === indent && (line.text.startsWith("- ") || line.text === "-"); line = this.peek()) {
      const rest = line.text.slice(1).trimStart();
      if (rest === "") {
        this.position++;
        out.push(this.block(indent + 1));
      } else if (this.looksLikeKey(rest)) {
        // "- key: value" opens a mapping whose keys sit two columns right of the dash.
        this.lines[this.position] = { indent: indent + 2, text: rest, number: line.number };
        out.push(this.mapping(indent + 2));
      } else {
        this.position++;
        out.push(this.scalar(rest, line));
      }
    }
    return out;
  }

  private value(rest: string, indent: number, line: Line): unknown {
    if (rest === "") {
      const next = this.peek();
      return next && next.indent > indent ? this.block(next.indent) : null;
    }
    if (/^[|>][-+]?$/.test(rest)) return this.blockScalar(rest, indent);
    return this.scalar(rest, line);
  }

  private blockScalar(header: string, indent: number): string {
    const collected: string[] = [];
    let blockIndent: number | null = null;
    for (let line = this.lines[this.position]; line; line = this.lines[this.position]) {
      if (line.text !== "") {
        if (line.indent <= indent) break;
        blockIndent ??= line.indent;
        if (line.indent < blockIndent) throw this.error(line, "block scalar line is less indented than its first line");
      }
      collected.push(line.text === "" ? "" : " ".repeat(line.indent - (blockIndent ?? 0)) + line.text);
      this.position++;
    }
    while (collected.length > 0 && collected[collected.length - 1] === "") collected.pop();
    const body = header.startsWith(">") ? collected.join(" ") : collected.join("\n");
    return header.endsWith("-") ? body : `${body}\n`;
  }

  private scalar(text: string, line: Line): unknown {
    if (text.startsWith('"')) {
      if (!text.endsWith('"') || text.length < 2) throw this.error(line, "unterminated double-quoted string");
      return JSON.parse(text) as string;
    }
    if (text.startsWith("'")) {
      if (!text.endsWith("'") || text.length < 2) throw this.error(line, "unterminated single-quoted string");
      return text.slice(1, -1).replace(/''/g, "'");
    }
    if (text === "[]") return [];
    if (text === "{}") return {};
    if (text.startsWith("[") && text.endsWith("]")) {
      return text.slice(1, -1).split(",").map((item) => this.scalar(item.trim(), line));
    }
    if (/^[[{&*!%@`]/.test(text) || / #/.test(text) || /: /.test(text)) throw this.error(line, `outside the YAML subset: ${text}`);
    if (text === "null" || text === "~") return null;
    if (text === "true" || text === "false") return text === "true";
    if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return Number(text);
    return text;
  }

  private looksLikeKey(text: string): boolean {
    return /^("[^"]*"|'[^']*'|[^\s"'#][^:]*?):(\s|$)/.test(text);
  }

  private splitKey(line: Line): { key: string; rest: string } {
    const match = /^("[^"]*"|'[^']*'|[^\s"'#][^:]*?):(?:\s+(.*))?$/.exec(line.text);
    if (!match) throw this.error(line, "expected `key: value`");
    const rawKey = match[1] ?? "";
    const key = rawKey.startsWith('"') ? (JSON.parse(rawKey) as string) : rawKey.startsWith("'") ? rawKey.slice(1, -1) : rawKey;
    return { key, rest: (match[2] ?? "").trim() };
  }

  private peek(): Line | undefined {
    while (this.position < this.lines.length) {
      const line = this.lines[this.position];
      if (line && line.text !== "" && !line.text.startsWith("#")) return line;
      this.position++;
    }
    return undefined;
  }

  private error(line: Line, message: string): Error {
    return new Error(`YAML line ${line.number}: ${message}`);
  }
}
