import { describe, expect, it } from "vitest";
import { covers, intersect, merge, subtract } from "../../src/domain/ranges";

const r = (start: number, end: number) => ({ start, end });

describe("intersect", () => {
  it.each([
    ["overlapping", r(0, 10), r(5, 15), r(5, 10)],
    ["nested", r(0, 10), r(2, 3), r(2, 3)],
    ["touching ranges share no instant", r(0, 10), r(10, 20), null],
    ["disjoint", r(0, 1), r(5, 6), null],
  ])("%s", (_, a, b, expected) => {
    expect(intersect(a, b)).toEqual(expected);
    expect(intersect(b, a)).toEqual(expected);
  });
});

describe("subtract", () => {
  it.each([
    ["a hole in the middle", r(0, 10), [r(3, 5)], [r(0, 3), r(5, 10)]],
    ["overlapping cuts given out of order", r(0, 10), [r(6, 8), r(2, 4), r(3, 7)], [r(0, 2), r(8, 10)]],
    ["cuts beyond both ends", r(0, 10), [r(-5, 1), r(9, 20)], [r(1, 9)]],
    ["everything", r(0, 10), [r(-1, 11)], []],
    ["touching cuts leave the range whole", r(0, 10), [r(-5, 0), r(10, 12)], [r(0, 10)]],
    ["nothing", r(0, 10), [], [r(0, 10)]],
  ])("%s", (_, range, cuts, expected) => {
    expect(subtract(range, cuts)).toEqual(expected);
  });
});

describe("merge", () => {
  it("joins overlapping and touching ranges, keeps gaps, drops empty ones", () => {
    expect(merge([r(10, 12), r(0, 5), r(5, 7), r(3, 4), r(8, 8), r(11, 15)])).toEqual([r(0, 7), r(10, 15)]);
  });

  it("leaves its input untouched", () => {
    const input = [r(0, 5), r(4, 9)];
    merge(input);
    expect(input).toEqual([r(0, 5), r(4, 9)]);
  });
});

describe("covers", () => {
  it.each([
    ["pieces that touch", [r(0, 5), r(5, 10)], r(0, 10), true],
    ["a one-unit hole", [r(0, 5), r(6, 10)], r(0, 10), false],
    ["a target inside one range", [r(0, 100)], r(10, 20), true],
    ["a target starting before the ranges", [r(5, 10)], r(0, 10), false],
  ])("%s", (_, ranges, target, expected) => {
    expect(covers(ranges, target)).toBe(expected);
  });
});
