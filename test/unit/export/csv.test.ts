import { describe, expect, it } from "vitest";
import { csvField, csvLine } from "../../../app/export/csv";

describe("CSV fields", () => {
  it("plain text and numbers are written as they are", () => {
    expect(csvLine(["MUG-BLUE", 12, -3, null, undefined, true])).toBe("MUG-BLUE,12,-3,,,true\r\n");
  });

  it("a comma, a quote or a line break puts the field in quotes, with quotes doubled", () => {
    expect(csvField("Mug, blue")).toBe('"Mug, blue"');
    expect(csvField('12" plate')).toBe('"12"" plate"');
    expect(csvField("line one\nline two")).toBe('"line one\nline two"');
    expect(csvField("a\r\nb")).toBe('"a\r\nb"');
  });

  it("text that a spreadsheet would run as a formula is kept as text", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@sum")).toBe("'@sum");
    expect(csvField(-5)).toBe("-5");
  });

  it("Chinese text passes through unchanged", () => {
    expect(csvField("陶瓷马克杯，蓝色")).toBe("陶瓷马克杯，蓝色");
  });
});
