// The circuit breaker through the real worker: an endpoint that fails, is left alone while the circuit is
// open, gets one trial request after CIRCUIT_OPEN_MS, and is used again as soon as it answers.
import { expect, it } from "vitest";
import { expectConformsToSpec } from "./openapiConformance.js";
import { callWorkerWith, endpoints, r2ObjectCount, restoreRequest, uniquePng } from "./helpers.js";

const endpoint = endpoints.switchable;
const openMs = 400;
const settings = { INFERENCE_URL: endpoint, CIRCUIT_FAILURE_THRESHOLD: "2", CIRCUIT_OPEN_MS: String(openMs) };

async function setMode(mode: string): Promise<void> {
  expect((await fetch(`${endpoint}/fake/mode?set=${mode}`, { method: "POST" })).status).toBe(200);
}

async function inferTotal(): Promise<number> {
  return ((await (await fetch(`${endpoint}/fake/stats`)).json()) as { infer: number }).infer;
}

async function restore(): Promise<Response> {
  return callWorkerWith(restoreRequest(uniquePng()), settings);
}

it("opens after repeated endpoint failures, refuses without calling it, half-opens and recovers", async () => {
  const objectsBefore = await r2ObjectCount();
  await setMode("error500");
  const callsBefore = await inferTotal();
  for (let i = 0; i < 2; i++) expect((await restore()).status).toBe(503);
  expect(await inferTotal()).toBe(callsBefore + 2);

  // Open: refused at once, the endpoint is not called, the answer is a spec Error with Retry-After.
  const refused = await restore();
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).toBe("1");
  const body = (await refused.clone().json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("upstream_unavailable");
  expect(body.error.message).toContain("circuit open");
  await expectConformsToSpec(refused, "/v1/restore", "POST");
  expect(await inferTotal()).toBe(callsBefore + 2);

  // The endpoint comes back; the circuit stays open until openMs has passed, then one trial closes it.
  await setMode("ok");
  expect((await restore()).status).toBe(503);
  await new Promise((resolve) => setTimeout(resolve, openMs + 50));
  expect((await restore()).status).toBe(200);
  expect((await restore()).status).toBe(200);
  expect(await inferTotal()).toBe(callsBefore + 4);
  expect(await r2ObjectCount()).toBe(objectsBefore + 2);
});

it("a trial that fails opens the circuit again", async () => {
  await setMode("drop");
  for (let i = 0; i < 2; i++) expect((await restore()).status).toBe(503);
  await new Promise((resolve) => setTimeout(resolve, openMs + 50));
  const callsBefore = await inferTotal();
  expect((await restore()).status).toBe(503); // the trial, which reaches the endpoint
  expect((await restore()).status).toBe(503); // refused by the open circuit
  expect(await inferTotal()).toBe(callsBefore + 1);
  await setMode("ok");
});

it("back-pressure (503 queue full with Retry-After) does not open the circuit", async () => {
  const overloaded = { ...settings, INFERENCE_URL: endpoints.overloaded };
  for (let i = 0; i < 4; i++) {
    const response = await callWorkerWith(restoreRequest(uniquePng()), overloaded);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("7");
  }
});
