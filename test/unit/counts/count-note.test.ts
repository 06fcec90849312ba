import { describe, expect, it } from "vitest";
import { countActor, staffActorId } from "~/counts/count-actor";
import { NOTE_TEXT_LIMIT, readCountNote, saidNote, storeCountNote, type CountNote } from "~/counts/count-note";

describe("a count's history notes are stored as a message and its values", () => {
  const notes: CountNote[] = [
    { key: "to_count", lines: 3 },
    { key: "planned", plan: "Daily (LAX1)", lines: 25, details: ["Counting all 900 SKUs every 30 days needs at least 30 lines a day"] },
    { key: "raised", lines: 2, details: [] },
    { key: "assigned", assignee: "staff:12345" },
    { key: "counted_as_zero", lines: 1 },
    { key: "to_recount", lines: 2, text: "Shelf B-04 looks short" },
    { key: "to_recount", lines: 1, text: null },
    { key: "posted", posted: 2, total: 2, warehouse: "not_supported" },
    { key: "imported", counts: 12, skipped: 2, file: "盘点表.csv", warehouse: null },
    { key: "imported", counts: 3, skipped: 0, file: null, warehouse: "Los Angeles" },
    { key: "line_reason", sku: "MUG-1", reason: "damaged", note: 'Crushed, "set aside"' },
    { key: "line_reason", sku: "MUG-1", reason: null, note: null },
    { key: "said", text: "Checked with the team" },
  ];

  it("each note reads back as it was stored", () => {
    for (const note of notes) expect(readCountNote(storeCountNote(note)), note.key).toEqual(note);
    expect(storeCountNote(null)).toBeNull();
    expect(readCountNote(null)).toBeNull();
  });

  it("an older row's English sentence, or any text that is not a stored note, reads back as the text", () => {
    expect(readCountNote("3 lines to count")).toBe("3 lines to count");
    expect(readCountNote('{"v":1,"key":"to_count"}')).toBe('{"v":1,"key":"to_count"}');
    expect(readCountNote('{"v":1,"key":"unheard_of","lines":1}')).toBe('{"v":1,"key":"unheard_of","lines":1}');
    expect(readCountNote('{"v":1, not json')).toBe('{"v":1, not json');
    expect(readCountNote('{"key":"said","text":"typed by someone"}')).toBe('{"key":"said","text":"typed by someone"}');
  });

  it("a person's words are trimmed, kept whole as JSON when too long, and nothing is a note of nothing", () => {
    expect(saidNote("  Checked  ")).toEqual({ key: "said", text: "Checked" });
    expect(saidNote("   ")).toBeNull();
    expect(saidNote(undefined)).toBeNull();
    const long = readCountNote(storeCountNote({ key: "said", text: "x".repeat(5_000) }));
    expect(long).toMatchObject({ key: "said" });
    expect((long as { text: string }).text).toHaveLength(NOTE_TEXT_LIMIT);
  });
});

describe("who did something to a count", () => {
  it("a staff member is kept by the user id of their session token", () => {
    expect(staffActorId("12345")).toBe("staff:12345");
    expect(staffActorId(902541635)).toBe("staff:902541635");
    expect(staffActorId("")).toBeNull();
    expect(staffActorId(undefined)).toBeNull();
    expect(countActor("staff:12345")).toEqual({ kind: "staff", userId: "12345" });
  });

  it("TallySync itself, and names as they were given (older rows, typed assignees)", () => {
    expect(countActor("system")).toEqual({ kind: "system" });
    expect(countActor("scheduler")).toEqual({ kind: "system" });
    expect(countActor("lee@example.com")).toEqual({ kind: "named", name: "lee@example.com" });
    expect(countActor("shop.myshopify.com")).toEqual({ kind: "named", name: "shop.myshopify.com" });
    expect(countActor("staff:")).toEqual({ kind: "named", name: "staff:" });
  });
});
