// One id per request: answered in X-Request-Id (the client's own when valid), quoted in error bodies, and carried
// in the inference request's id to the endpoint, with the W3C traceparent passed on as it came.
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/src/sha256.js";
import { callWorker, endpoints, restoreRequest, uniquePng } from "./helpers.js";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("request ids", () => {
  it("answers the client's id, or a new one when it has none or an unsafe one", async () => {
    const own = await callWorker(new Request("https://edge.test/v1/health", { headers: { "x-request-id": "client-req_42=" } }));
    expect(own.headers.get("x-request-id")).toBe("client-req_42=");
    const none = await callWorker(new Request("https://edge.test/v1/health"));
    expect(none.headers.get("x-request-id")).toMatch(uuid);
    for (const unsafe of ["has space", "x".repeat(101), "semi;colon"]) {
      const response = await callWorker(new Request("https://edge.test/v1/health", { headers: { "x-request-id": unsafe } }));
      expect(response.headers.get("x-request-id"), unsafe).toMatch(uuid);
    }
  });

  it("quotes the id in error bodies", async () => {
    const response = await callWorker(restoreRequest(uniquePng(), { key: "wrong-key", headers: { "x-request-id": "err-1" } }));
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toBe("err-1");
    expect(((await response.json()) as { error: { requestId?: string } }).error.requestId).toBe("err-1");
    const missing = await callWorker(new Request("https://edge.test/v1/nothing-here"));
    expect(((await missing.json()) as { error: { requestId?: string } }).error.requestId).toBe(missing.headers.get("x-request-id"));
  });

  it("sends the endpoint an inference id that starts with the request's id, and the traceparent", async () => {
    const image = uniquePng();
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const response = await callWorker(restoreRequest(image, { headers: { "x-request-id": "follow-me-7", traceparent } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("follow-me-7");
    const stats = (await (await fetch(`${endpoints.ok}/fake/stats?sha256=${await sha256Hex(image)}`)).json()) as { lastRequest: { id: string; traceparent: string } };
    expect(stats.lastRequest.id).toMatch(/^follow-me-7\.[0-9a-f]{8}$/);
    expect(stats.lastRequest.traceparent).toBe(traceparent);
  });
});
