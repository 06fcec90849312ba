// Bytes of text as Excel saves a CSV on a Chinese Windows (code page 936, GBK), for the import tests.
// Node can decode GBK but not encode it, so the Chinese characters the tests use are listed here with
// their GBK bytes (from the code page's table); ASCII is one byte, as in GBK itself.
const GBK: Record<string, readonly [number, number]> = {
  仓: [0xb2, 0xd6],
  位: [0xce, 0xbb],
  货: [0xbb, 0xf5],
  号: [0xba, 0xc5],
  库: [0xbf, 0xe2],
  数: [0xca, 0xfd],
  量: [0xc1, 0xbf],
  备: [0xb1, 0xb8],
  注: [0xd7, 0xa2],
  茶: [0xb2, 0xe8],
  杯: [0xb1, 0xad],
  蓝: [0xc0, 0xb6],
  碗: [0xcd, 0xeb],
  白: [0xb0, 0xd7],
  未: [0xce, 0xb4],
  知: [0xd6, 0xaa],
  破: [0xc6, 0xc6],
  损: [0xcb, 0xf0],
  两: [0xc1, 0xbd],
  只: [0xd6, 0xbb],
  架: [0xbc, 0xdc],
  三: [0xc8, 0xfd],
};

export function gbkBytes(text: string): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const pair = GBK[char];
    if (!pair) throw new Error(`test/helpers/gbk.ts has no GBK bytes for "${char}"; add them from the GBK table`);
    bytes.push(...pair);
  }
  return new Uint8Array(bytes);
}

/** UTF-16 with its byte order mark, as Excel's "Unicode Text". */
export function utf16Bytes(text: string, order: "le" | "be"): Uint8Array<ArrayBuffer> {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  const bytes = new Uint8Array(le);
  if (order === "be") for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!];
  return bytes;
}
