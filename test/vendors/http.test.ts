import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../../src/vendors/http";

describe("Retry-After", () => {
  const now = Date.parse("2027-03-16T12:00:00Z");
  it.each([
    ["7", 7000],
    ["0", 0],
    ["Tue, 16 Mar 2027 12:00:30 GMT", 30_000],
    ["Tue, 16 Mar 2027 11:00:00 GMT", 0],
    ["soon", null],
    [null, null],
  ])("%s → %s ms", (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});
