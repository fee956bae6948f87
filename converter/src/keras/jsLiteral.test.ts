import { describe, expect, it } from "vitest";
import { parseJsLiteral } from "./jsLiteral.js";
import { bundleExport } from "./nsfwjsBundle.js";

describe("parseJsLiteral", () => {
  it("reads minified object literals", () => {
    const source = 'x={a:[1,-2.5,.999,1e-3,-0.5E+2],"b c":{d:!0,e:!1,f:null,g:"q\\"\\u00e9"}, h : [ ] };';
    const { value, end } = parseJsLiteral(source, 2);
    expect(value).toEqual({ a: [1, -2.5, 0.999, 1e-3, -50], "b c": { d: true, e: false, f: null, g: 'q"é' }, h: [] });
    expect(source.slice(end)).toBe(";");
  });

  it("keeps __proto__ an ordinary key", () => {
    const { value } = parseJsLiteral('{__proto__:{polluted:!0}}', 0);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((value as Record<string, unknown>)["__proto__"]).toEqual({ polluted: true });
  });

  it("refuses code", () => {
    expect(() => parseJsLiteral("{a:require('fs')}", 0)).toThrow(/unsupported token/);
    expect(() => parseJsLiteral("{a:1+1}", 0)).toThrow(/expected/);
  });
});

describe("bundleExport", () => {
  const wrap = (body: string) => `!function(e){module.exports=e()}(function(){return function e(a,n,i){}({1:[function(e,a,n){${body}},{}]},{},[1])(1)});`;

  it("reads the literal a browserify module exports", () => {
    expect(bundleExport(wrap('a.exports={k:"v"}'))).toEqual({ k: "v" });
  });

  it("rejects a module that does anything else", () => {
    expect(() => bundleExport(wrap('a.exports={k:"v"};doSomething()'))).toThrow(/more than export/);
    expect(() => bundleExport(wrap("a.exports=run()"))).toThrow(/unsupported token/);
  });
});
