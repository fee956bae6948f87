import { describe, expect, it } from "vitest";
import { isCacheHit } from "./restoreResult.js";

describe("isCacheHit", () => {
  it.each([
    ["edge-restore; hit", true],
    ["edge-restore;hit", true],
    ["edge-restore; HIT; ttl=10", true],
    ["cdn; fwd=uri-miss, edge-restore; hit", true],
    ["edge-restore; fwd=uri-miss; stored", false],
    ["edge-restore; fwd=uri-miss; collapsed", false],
    ["hit", false],
    ["edge-restore; hitch", false],
    [null, false],
    ["", false],
  ])("%j → %s", (value, hit) => {
    expect(isCacheHit(value)).toBe(hit);
  });
});
