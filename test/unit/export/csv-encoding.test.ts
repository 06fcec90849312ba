import { describe, expect, it } from "vitest";
import { decodeCsvBytes } from "~/export/csv-encoding";
import { gbkBytes, utf16Bytes } from "../../helpers/gbk";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("reading an uploaded CSV file's bytes, whatever saved it", () => {
  it("GBK bytes (Excel's plain CSV on a Chinese Windows) are read as GB18030", () => {
    // 仓位 in code page 936, byte for byte.
    expect(decodeCsvBytes(Uint8Array.from([0xb2, 0xd6, 0xce, 0xbb]))).toEqual({ text: "仓位", encoding: "gb18030" });
    expect(decodeCsvBytes(gbkBytes("货号,库位,数量\r\n茶杯-蓝,A-01,5\r\n")).text).toBe("货号,库位,数量\r\n茶杯-蓝,A-01,5\r\n");
  });

  it("UTF-8 with or without a byte order mark; the mark is dropped", () => {
    expect(decodeCsvBytes(utf8("\uFEFF货号,数量\n茶杯-蓝,5\n"))).toEqual({ text: "货号,数量\n茶杯-蓝,5\n", encoding: "utf-8" });
    expect(decodeCsvBytes(utf8("货号,数量\n茶杯-蓝,5\n"))).toEqual({ text: "货号,数量\n茶杯-蓝,5\n", encoding: "utf-8" });
  });

  it("plain ASCII is read as UTF-8 (it is the same in every encoding here)", () => {
    expect(decodeCsvBytes(utf8("SKU,Qty\r\nMUG-BLUE,3\r\n"))).toEqual({ text: "SKU,Qty\r\nMUG-BLUE,3\r\n", encoding: "utf-8" });
  });

  it("UTF-16 little- or big-endian with its byte order mark (Excel's Unicode Text)", () => {
    expect(decodeCsvBytes(utf16Bytes("货号\t数量\r\n茶杯-蓝\t5\r\n", "le"))).toEqual({ text: "货号\t数量\r\n茶杯-蓝\t5\r\n", encoding: "utf-16le" });
    expect(decodeCsvBytes(utf16Bytes("货号,数量\r\n茶杯-蓝,5\r\n", "be"))).toEqual({ text: "货号,数量\r\n茶杯-蓝,5\r\n", encoding: "utf-16be" });
  });

  it("takes an ArrayBuffer as a File gives it, and an empty file is empty text", () => {
    const bytes = gbkBytes("仓位");
    expect(decodeCsvBytes(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).text).toBe("仓位");
    expect(decodeCsvBytes(new Uint8Array())).toEqual({ text: "", encoding: "utf-8" });
  });
});
