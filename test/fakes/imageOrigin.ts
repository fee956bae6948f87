// A small real HTTP origin for the URL-transform tests and benchmark: images, redirects, oversized, slow and
// bomb-shaped bodies, and a count of every request it receives (so tests can assert what never left the worker).
//   /allowed/img/<seed>.png[?w=&h=]     seededPng(seed)                /forbidden/img/<seed>.png  the same
//   /allowed/chunked/<seed>.png         the same, chunked, no Content-Length
//   /allowed/redirect?to=<url>          302 to <url>                    /allowed/hops/<n>/<seed>.png  n relative 302s, then the image
//   /allowed/slow/<seed>.png            headers and 8 bytes, then a 10 s pause before the rest
//   /allowed/bomb.png                   a header claiming 60000x60000, then the connection held open for 10 s
//   /allowed/missing.png  404           /allowed/page.html  an HTML page
//   /__stats?path=<path and query>      {"count": n} requests so far for that path (or for all, without path)
//   POST /hooks/<name>[?status=]        a webhook receiver: records headers and raw body, answers `status` (204)
//   /hooks-redirect/<name>              307 to /hooks/<name>            /__hooks?name=<name>  what /hooks/<name> received
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pngHeaderClaiming, seededPng } from "./seededPng.js";

export interface ImageOrigin {
  url: string;
  close(): Promise<void>;
}

export async function startImageOrigin(): Promise<ImageOrigin> {
  const counts = new Map<string, number>();
  let total = 0;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };

  const hooks = new Map<string, { headers: Record<string, string>; body: string; status: number }[]>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://origin");
    if (url.pathname === "/__hooks") {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify(hooks.get(url.searchParams.get("name") ?? "") ?? []));
    }
    const hook = /^\/hooks\/([\w-]+)$/.exec(url.pathname);
    if (hook && req.method === "POST") {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const status = Number(url.searchParams.get("status") ?? 204);
        const list = hooks.get(hook[1]!) ?? [];
        list.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString("utf8"), status });
        hooks.set(hook[1]!, list);
        res.writeHead(status);
        res.end();
      });
      return;
    }
    const hookRedirect = /^\/hooks-redirect\/([\w-]+)$/.exec(url.pathname);
    if (hookRedirect) {
      res.writeHead(307, { location: url.searchParams.get("to") ?? `/hooks/${hookRedirect[1]}` });
      return void res.end();
    }
    if (url.pathname === "/__stats") {
      const path = url.searchParams.get("path");
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ count: path === null ? total : (counts.get(path) ?? 0) }));
    }
    const key = url.pathname + url.search;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;

    const image = /^\/(allowed|forbidden)\/(img|chunked|slow)\/([\w-]+)\.png$/.exec(url.pathname);
    const hops = /^\/allowed\/hops\/(\d+)\/([\w-]+)\.png$/.exec(url.pathname);
    if (image) {
      const bytes = seededPng(image[3]!, Number(url.searchParams.get("w") ?? 32), Number(url.searchParams.get("h") ?? 24));
      if (image[2] === "chunked") {
        res.writeHead(200, { "content-type": "image/png" });
        res.write(bytes.subarray(0, 40));
        return void res.end(bytes.subarray(40));
      }
      if (image[2] === "slow") {
        res.writeHead(200, { "content-type": "image/png", "content-length": String(bytes.length) });
        res.write(bytes.subarray(0, 8));
        return later(10_000, () => res.end(bytes.subarray(8)));
      }
      res.writeHead(200, { "content-type": "image/png", "content-length": String(bytes.length) });
      return void res.end(bytes);
    }
    if (hops) {
      const n = Number(hops[1]);
      const next = n === 0 ? `../../img/${hops[2]}.png` : `../${n - 1}/${hops[2]}.png`;
      res.writeHead(302, { location: next });
      return void res.end();
    }
    if (url.pathname === "/allowed/redirect") {
      res.writeHead(302, { location: url.searchParams.get("to") ?? "/" });
      return void res.end();
    }
    if (url.pathname === "/allowed/bomb.png") {
      // Within the byte limit, so only the header check can stop it.
      res.writeHead(200, { "content-type": "image/png", "content-length": String(10_000_000) });
      res.write(pngHeaderClaiming(60000, 60000));
      return later(10_000, () => res.destroy());
    }
    if (url.pathname === "/allowed/page.html") {
      res.writeHead(200, { "content-type": "text/html" });
      return void res.end("<!doctype html><html><body>not an image</body></html>");
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  // Held-open responses must not keep close() waiting.
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
