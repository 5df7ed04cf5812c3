import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SlottedShift } from "../../src/domain/feed";
import { feedLastModified, replaySlots } from "../../src/domain/feed-history";

const shift = (slot: string, member: string, end = "2027-03-08T10:00:00Z"): SlottedShift => ({
  team: "t",
  rotation: "primary",
  member,
  start: "2027-03-01T10:00:00Z",
  end,
  source: "schedule",
  slot,
  zone: "Europe/London",
});

describe("slot states replayed from history", () => {
  it("raise SEQUENCE and LAST-MODIFIED at each change only, and keep counting for a slot that leaves and comes back", () => {
    const { states, changes } = replaySlots([
      { at: "2027-01-01T00:00:00Z", shifts: [shift("a", "ana"), shift("b", "ben")] },
      { at: "2027-01-02T00:00:00Z", shifts: [shift("a", "ana"), shift("b", "ben")] },
      { at: "2027-01-03T00:00:00Z", shifts: [shift("a", "cat"), shift("b", "ben")] },
      { at: "2027-01-04T00:00:00Z", shifts: [shift("b", "ben")] },
      { at: "2027-01-05T00:00:00Z", shifts: [shift("a", "cat", "2027-03-07T10:00:00Z"), shift("b", "ben")] },
      { at: "2027-01-06T00:00:00Z", shifts: [shift("b", "ben")] },
      // Back as it was: the feed shows it again (a change to the body), under the SEQUENCE it had.
      { at: "2027-01-07T00:00:00Z", shifts: [shift("a", "cat", "2027-03-07T10:00:00Z"), shift("b", "ben")] },
    ]);
    expect(states.get("primary\na")).toMatchObject({ member: "cat", sequence: 2, lastModified: "2027-01-05T00:00:00Z" });
    expect(states.get("primary\nb")).toMatchObject({ member: "ben", sequence: 0, lastModified: "2027-01-01T00:00:00Z" });
    expect(changes).toEqual([
      { at: "2027-01-01T00:00:00Z", members: ["ana", "ben"] },
      { at: "2027-01-03T00:00:00Z", members: ["cat", "ana"] },
      { at: "2027-01-04T00:00:00Z", members: ["cat"] },
      { at: "2027-01-05T00:00:00Z", members: ["cat"] },
      { at: "2027-01-06T00:00:00Z", members: ["cat"] },
      { at: "2027-01-07T00:00:00Z", members: ["cat"] },
    ]);
  });

  it("a step confined to a region re-slots only there: slots outside it keep their state though the step leaves them out", () => {
    const later = (slot: string, member: string): SlottedShift => ({ ...shift(slot, member), start: "2027-04-01T10:00:00Z", end: "2027-04-08T10:00:00Z" });
    const { states, changes } = replaySlots([
      { at: "2027-01-01T00:00:00Z", shifts: [shift("a", "ana"), later("b", "ben")] },
      { at: "2027-01-02T00:00:00Z", region: { start: "2027-03-25T00:00:00Z", end: "2027-04-10T00:00:00Z", rotations: ["primary"] }, shifts: [later("b", "cat")] },
      { at: "2027-01-03T00:00:00Z", shifts: [shift("a", "ana"), later("b", "cat")] },
    ]);
    expect(states.get("primary\na")).toMatchObject({ member: "ana", sequence: 0 });
    expect(states.get("primary\nb")).toMatchObject({ member: "cat", sequence: 1, lastModified: "2027-01-02T00:00:00Z" });
    expect(changes.map((c) => c.at)).toEqual(["2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z"]);
  });

  it("SEQUENCE counts exactly the steps at which the slot's holder changed", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("ana", "ben", "cat"), { minLength: 1, maxLength: 20 }), (holders) => {
        const steps = holders.map((member, i) => ({ at: new Date(Date.UTC(2027, 0, 1 + i)).toISOString(), shifts: [shift("a", member)] }));
        const changed = holders.filter((m, i) => i > 0 && m !== holders[i - 1]).length;
        const last = holders.reduce((at, m, i) => (i > 0 && m !== holders[i - 1] ? i : at), 0);
        expect(replaySlots(steps).states.get("primary\na")).toMatchObject({ sequence: changed, lastModified: steps[last]!.at });
      }),
    );
  });
});

describe("a feed's Last-Modified", () => {
  it("is the latest change to the second, a second past the one before for changes in the same second, whatever the order given", () => {
    const changes = [
      { key: "reminder 2", at: "2027-03-01T12:00:00.400Z" },
      { key: "schedule 2027-02-01T09:00:00Z", at: "2027-02-01T09:00:00Z" },
      { key: "reminder 1", at: "2027-03-01T12:00:00.100Z" },
      { key: "schedule 2027-02-01T09:00:00Z", at: "2027-02-01T09:00:00Z" },
    ];
    expect(feedLastModified(changes)).toBe("2027-03-01T12:00:01Z");
    expect(feedLastModified(changes.slice(1))).toBe("2027-03-01T12:00:00Z");
    expect(feedLastModified([...changes].reverse())).toBe("2027-03-01T12:00:01Z");
  });
});
