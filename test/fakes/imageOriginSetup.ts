// Global setup of the workerd tests for URL transforms: one fake image origin, its URL provided to the tests
// (and to the worker's TRANSFORM_SOURCES in vitest.config.ts).
import type { TestProject } from "vitest/node";
import { startImageOrigin } from "./imageOrigin.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const origin = await startImageOrigin();
  project.provide("imageOrigin", origin.url);
  return () => origin.close();
}
