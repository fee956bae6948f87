// Cloudflare Workers entry point.
import { app } from "./app.js";

export default app satisfies ExportedHandler<import("./env.js").Env>;
// The workflows' classes must be named exports of the Worker's main module (wrangler.toml [[workflows]]).
export { RestoreJob } from "./jobs/restoreJobWorkflow.js";
export { JobWebhook } from "./jobs/jobWebhookWorkflow.js";
