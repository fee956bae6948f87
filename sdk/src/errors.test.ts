import { describe, expect, it } from "vitest";
import { EdgeRestoreError, errorFromResponse, isErrorBody } from "./errors.js";

describe("errorFromResponse", () => {
  it("reads the spec's Error body and Retry-After", () => {
    const response = new Response(null, { status: 429, headers: { "retry-after": "7" } });
    const error = errorFromResponse(response, { error: { code: "rate_limited", message: "too many requests", details: { limit: 60 } } });
    expect(error).toBeInstanceOf(EdgeRestoreError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ status: 429, code: "rate_limited", message: "too many requests", details: { limit: 60 }, retryAfterSeconds: 7 });
  });

  it("describes a text body it cannot read as an API error", () => {
    const error = errorFromResponse(new Response(null, { status: 503, statusText: "Service Unavailable" }), "  upstream\n  connect error  ");
    expect(error).toMatchObject({ status: 503, code: "invalid_response", details: null, retryAfterSeconds: null });
    expect(error.message).toBe("HTTP 503 Service Unavailable without an API error body (upstream connect error)");
  });

  it("describes JSON that is not the Error schema, truncated", () => {
    const error = errorFromResponse(new Response(null, { status: 500 }), { message: "x".repeat(500) });
    expect(error.code).toBe("invalid_response");
    expect(error.message.startsWith('HTTP 500 without an API error body ({"message":"xxx')).toBe(true);
    expect(error.message.length).toBeLessThan(260);
  });

  it("says when the error body was empty", () => {
    expect(errorFromResponse(new Response(null, { status: 500 }), undefined).message).toBe("HTTP 500 without an API error body (empty body)");
  });
});

describe("isErrorBody", () => {
  it("accepts the spec's shape only", () => {
    expect(isErrorBody({ error: { code: "not_found", message: "no" } })).toBe(true);
    expect(isErrorBody({ error: { code: "not_found", message: "no", details: {} } })).toBe(true);
    expect(isErrorBody({ error: { code: "not_found" } })).toBe(false);
    expect(isErrorBody({ error: { code: 404, message: "no" } })).toBe(false);
    expect(isErrorBody({ error: { code: "x", message: "no", details: [] } })).toBe(false);
    expect(isErrorBody({ error: "not_found" })).toBe(false);
    expect(isErrorBody("error")).toBe(false);
    expect(isErrorBody(null)).toBe(false);
  });
});
