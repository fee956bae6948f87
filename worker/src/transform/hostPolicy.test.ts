import { describe, expect, it } from "vitest";
import { classifyHost } from "./hostPolicy.js";

// Hosts as the WHATWG parser leaves them, so every spelling an attacker may use goes through the same path.
const host = (url: string) => new URL(url).hostname;

describe("classifyHost", () => {
  it.each([
    "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://0x7f000001/",
    "http://0.0.0.0/", "http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.1/", "http://100.64.0.1/",
    "http://169.254.169.254/", "http://2852039166/", "http://0251.0376.0251.0376/", "http://0xa9fea9fe/", "http://224.0.0.1/",
    "http://255.255.255.255/", "http://[::1]/", "http://[::]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/",
    "http://[::ffff:10.0.0.1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[fd00::1]/", "http://[fc00::1]/",
    "http://[fe80::1]/", "http://[ff02::1]/", "http://[2002:7f00:1::]/", "http://[2001::1]/", "http://[2001:db8::1]/",
  ])("refuses the address %s", (url) => {
    expect(classifyHost(host(url), false)).toBe("private-address");
  });

  it.each(["http://localhost/", "http://LOCALHOST./", "http://a.b.localhost/", "http://metadata/", "http://metadata.google.internal/", "http://printer.local/", "http://nas.home.arpa/"])(
    "refuses the local name %s",
    (url) => expect(classifyHost(host(url), false)).toBe("local-hostname"),
  );

  it.each(["https://cdn.example.com/", "http://93.184.215.14/", "http://172.32.0.1/", "http://[2606:4700::1111]/", "https://xn--bcher-kva.example/"])(
    "lets the public host %s through",
    (url) => expect(classifyHost(host(url), false)).toBe("ok"),
  );

  it("opens 127.0.0.0/8 and nothing else for tests", () => {
    expect(classifyHost(host("http://127.0.0.1:9999/"), true)).toBe("ok");
    expect(classifyHost(host("http://2130706433/"), true)).toBe("ok");
    expect(classifyHost(host("http://[::1]/"), true)).toBe("private-address");
    expect(classifyHost(host("http://localhost/"), true)).toBe("local-hostname");
    expect(classifyHost(host("http://169.254.169.254/"), true)).toBe("private-address");
    expect(classifyHost(host("http://10.0.0.1/"), true)).toBe("private-address");
  });
});
