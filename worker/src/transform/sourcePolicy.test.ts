import { describe, expect, it } from "vitest";
import { ApiError } from "../apiError.js";
import { checkSource, isListed, parseSourceList } from "./sourcePolicy.js";

const sources = parseSourceList("TRANSFORM_SOURCES", "https://cdn.example.com, https://media.example.org/photos/, https://files.example.net/img");

function reason(url: string, allowLoopback = false): string | undefined {
  try {
    checkSource(new URL(url), { sources, allowLoopback });
  } catch (error) {
    return error instanceof ApiError ? String(error.details?.["reason"]) : String(error);
  }
  return undefined;
}

describe("source policy", () => {
  it("matches origins and path prefixes on segment boundaries", () => {
    expect(reason("https://cdn.example.com/any/thing.jpg")).toBeUndefined();
    expect(reason("https://media.example.org/photos/a.jpg")).toBeUndefined();
    expect(reason("https://media.example.org/photos-private/a.jpg")).toBe("not-listed");
    expect(reason("https://files.example.net/img/a.jpg")).toBeUndefined();
    expect(reason("https://files.example.net/imgs/a.jpg")).toBe("not-listed");
    expect(reason("http://cdn.example.com/a.jpg")).toBe("not-listed");
    expect(reason("https://cdn.example.com:8443/a.jpg")).toBe("not-listed");
    expect(reason("https://cdn.example.com.evil.example/a.jpg")).toBe("not-listed");
  });

  it("refuses user info, other schemes and encoded separators before the list", () => {
    expect(reason("https://cdn.example.com@evil.example/a.jpg")).toBe("userinfo");
    expect(reason("https://user:pw@cdn.example.com/a.jpg")).toBe("userinfo");
    expect(reason("ftp://cdn.example.com/a.jpg")).toBe("scheme");
    expect(reason("file:///etc/passwd")).toBe("scheme");
    expect(reason("https://media.example.org/photos/..%2fprivate/a.jpg")).toBe("encoded-path");
    expect(reason("https://media.example.org/photos/%2e%2e/x")).not.toBeUndefined();
  });

  it("refuses private addresses even when listed", () => {
    const listed = parseSourceList("X", "http://169.254.169.254, http://[::1], http://127.0.0.1:8080");
    const check = (url: string, allowLoopback = false) => {
      try {
        checkSource(new URL(url), { sources: listed, allowLoopback });
        return "allowed";
      } catch (error) {
        return (error as ApiError).details?.["reason"];
      }
    };
    expect(check("http://169.254.169.254/latest/meta-data/")).toBe("private-address");
    expect(check("http://[::1]/")).toBe("private-address");
    expect(check("http://127.0.0.1:8080/")).toBe("private-address");
    expect(check("http://127.0.0.1:8080/", true)).toBe("allowed");
    expect(isListed(new URL("http://2130706433:8080/x"), listed)).toBe(true);
  });

  it("refuses malformed configuration", () => {
    expect(() => parseSourceList("TRANSFORM_SOURCES", "cdn.example.com")).toThrow(/TRANSFORM_SOURCES/);
    expect(() => parseSourceList("TRANSFORM_SOURCES", "https://cdn.example.com/?q=1")).toThrow();
    expect(() => parseSourceList("TRANSFORM_SOURCES", "ftp://cdn.example.com")).toThrow();
    expect(parseSourceList("TRANSFORM_SOURCES", " , ")).toEqual([]);
  });
});
