import { describe, expect, it } from "vitest";
import { knownAnswer } from "../../../test/fakes/transformKnownAnswer.js";
import { canonicalTransform, signatureMatches } from "./signature.js";
import { parseTransformPath } from "./transformPath.js";

const otherKey = "another-valid-signing-key-0123456789abcdef";

describe("transform signatures", () => {
  it("verifies the known answer from its URL (the format the SDK and openapi.yaml document)", async () => {
    const t = parseTransformPath(new URL(knownAnswer.url));
    expect(canonicalTransform(t.signedOptions, t.source)).toBe(knownAnswer.canonical);
    expect(t.sig).toBe(knownAnswer.sig);
    expect(await signatureMatches(knownAnswer.canonical, knownAnswer.sig, [knownAnswer.key])).toBe(true);
  });

  it("does not depend on the order options are written in", async () => {
    const reordered = knownAnswer.url.replace("task=lowlight,format=webp,quality=80,exp=4102444800", "exp=4102444800,quality=80,task=lowlight,format=webp");
    const t = parseTransformPath(new URL(reordered));
    expect(canonicalTransform(t.signedOptions, t.source)).toBe(knownAnswer.canonical);
  });

  it("accepts any configured key (rotation) and refuses others", async () => {
    expect(await signatureMatches(knownAnswer.canonical, knownAnswer.sig, [otherKey, knownAnswer.key])).toBe(true);
    expect(await signatureMatches(knownAnswer.canonical, knownAnswer.sig, [otherKey])).toBe(false);
    expect(await signatureMatches(knownAnswer.canonical, knownAnswer.sig, [])).toBe(false);
  });

  it("refuses tampering with any part", async () => {
    const check = (canonical: string, sig = knownAnswer.sig) => signatureMatches(canonical, sig, [knownAnswer.key]);
    expect(await check(knownAnswer.canonical.replace("quality=80", "quality=81"))).toBe(false);
    expect(await check(knownAnswer.canonical.replace("exp=4102444800", "exp=4102444801"))).toBe(false);
    expect(await check(knownAnswer.canonical.replace("dark.jpg", "dark.png"))).toBe(false);
    // Another spelling of the same 32 bytes (the last character's two unused bits), padding, truncation.
    expect(await check(knownAnswer.canonical, knownAnswer.sig.replace(/g$/, "h"))).toBe(false);
    expect(await check(knownAnswer.canonical, `${knownAnswer.sig}=`)).toBe(false);
    expect(await check(knownAnswer.canonical, knownAnswer.sig.slice(0, 42))).toBe(false);
  });
});
