import { describe, expect, it } from "vitest";
import { logPath } from "./requestContext.js";

describe("logPath", () => {
  it("keeps the path, drops the query and masks a transform URL's signature", () => {
    expect(logPath("https://edge.test/v1/restore?task=denoise&format=png")).toBe("/v1/restore");
    expect(logPath("https://edge.test/cdn-cgi/restore/task=denoise,sig=J3LpoUCikVLdjRfFu8h3J7ZKVQmtLxT8rJRXV2crZdg,exp=4102444800/https://cdn.example.com/a.jpg?v=1")).toBe(
      "/cdn-cgi/restore/task=denoise,sig=…,exp=4102444800/https://cdn.example.com/a.jpg",
    );
    expect(logPath("https://edge.test/v1/transform/sig=abc/https://cdn.example.com/a.jpg")).toBe("/v1/transform/sig=…/https://cdn.example.com/a.jpg");
  });
});
