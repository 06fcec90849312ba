// The text of a CSV file a merchant uploads, whatever saved it. Excel writes "CSV UTF-8" with a byte
// order mark, plain "CSV" in the Windows code page of the machine (GBK on Chinese Windows; GB18030
// is its superset and reads it), and "Unicode Text" as UTF-16 with a byte order mark. So: a byte
// order mark decides; otherwise the bytes are UTF-8 when they are valid UTF-8 (ASCII is both), and
// GB18030 when they are not. A Latin-1 file would be misread as GB18030, but our merchants' files
// are UTF-8 or Chinese, and its ASCII (SKUs, numbers) reads the same either way. Pure.

export type CsvEncoding = "utf-8" | "utf-16le" | "utf-16be" | "gb18030";

export interface DecodedCsv {
  /** The file's text, without its byte order mark. */
  text: string;
  encoding: CsvEncoding;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

function decode(encoding: CsvEncoding, bytes: Uint8Array, fatal = false): string {
  // ignoreBOM: false (the default) drops the mark of the encoding itself.
  return new TextDecoder(encoding, { fatal }).decode(bytes);
}

/** The text of a CSV file from its bytes (see above for how the encoding is told). */
export function decodeCsvBytes(input: Uint8Array | ArrayBuffer): DecodedCsv {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { text: decode("utf-8", bytes), encoding: "utf-8" };
  if (startsWith(bytes, [0xff, 0xfe])) return { text: decode("utf-16le", bytes), encoding: "utf-16le" };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: decode("utf-16be", bytes), encoding: "utf-16be" };
  try {
    return { text: decode("utf-8", bytes, true), encoding: "utf-8" };
  } catch {
    // Not UTF-8: the ANSI code page of a Chinese Windows (GBK), read as GB18030.
  }
  try {
    return { text: decode("gb18030", bytes), encoding: "gb18030" };
  } catch {
    // A runtime without GB18030 (Node built with small ICU): UTF-8 with replacement characters.
    return { text: decode("utf-8", bytes), encoding: "utf-8" };
  }
}
