import { describe, expect, it } from "vitest";
import { ApiError } from "../apiError.js";
import { parseTransformPath } from "./transformPath.js";

const parse = (path: string) => parseTransformPath(new URL(`https://edge.test${path}`));

function codeOf(path: string): string | undefined {
  try {
    parse(path);
  } catch (error) {
    return error instanceof ApiError ? error.code : String(error);
  }
  return undefined;
}

describe("parseTransformPath", () => {
  it("reads options with defaults, and the source with its query string", () => {
    const t = parse("/cdn-cgi/restore/task=denoise/https://cdn.example.com/a/b.jpg?w=1&h=2");
    expect(t.options).toEqual({ task: "denoise", format: undefined, quality: 90, refine: true, metadata: "copyright", resize: undefined, onerror: undefined, exp: undefined });
    expect(t.source.href).toBe("https://cdn.example.com/a/b.jpg?w=1&h=2");
    expect(t.sig).toBeUndefined();
  });

  it("reads every option and keeps sig out of what is signed", () => {
    const t = parse("/cdn-cgi/restore/format=auto,task=lowlight,quality=70,refine=false,onerror=redirect,exp=1767225600,sig=abc_-1/https://cdn.example.com/x.png");
    expect(t.options).toEqual({ task: "lowlight", format: "auto", quality: 70, refine: false, metadata: "copyright", resize: undefined, onerror: "redirect", exp: 1767225600 });
    expect(t.signedOptions.map(([k]) => k)).toEqual(["format", "task", "quality", "refine", "onerror", "exp"]);
    expect(t.sig).toBe("abc_-1");
  });

  it("reads the output options of POST /v1/restore: avif, metadata, width, height, fit, dpr", () => {
    const t = parse("/cdn-cgi/restore/task=deblur,format=avif,metadata=keep,width=320,height=200,fit=crop,dpr=1.5/https://cdn.example.com/x.png");
    expect(t.options).toMatchObject({ format: "avif", metadata: "keep", resize: { width: 320, height: 200, fit: "crop", dpr: 1.5 } });
    expect(t.signedOptions.find(([k]) => k === "dpr")).toEqual(["dpr", "1.5"]);
  });

  it("normalizes the source with the URL parser (what the signature covers)", () => {
    expect(parse("/cdn-cgi/restore/task=denoise/https://CDN.Example.com:443/a/../b.jpg").source.href).toBe("https://cdn.example.com/b.jpg");
    expect(parse("/cdn-cgi/restore/task=denoise/http://2130706433/x").source.hostname).toBe("127.0.0.1");
  });

  it.each([
    "/cdn-cgi/restore/task=denoise",
    "/cdn-cgi/restore/task=denoise/",
    "/cdn-cgi/restore//https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=sharpen/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/format=png/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,format=gif/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,quality=0/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,refine=yes/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,onerror=ignore/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,exp=soon/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,exp=0/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,blur=100/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,width=0/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,width=10,fit=stretch/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,width=10,dpr=9/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,metadata=all/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,task=derain/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise,,format=png/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task%3Ddenoise/https://cdn.example.com/x.jpg",
    "/cdn-cgi/restore/task=denoise/photos/x.jpg",
  ])("refuses %s with invalid_transform", (path) => {
    expect(codeOf(path)).toBe("invalid_transform");
  });
});
