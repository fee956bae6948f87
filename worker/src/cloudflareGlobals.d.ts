// Tells `cloudflare:workers` (env, exports) what this Worker's bindings and main module are.
declare namespace Cloudflare {
  type WorkerEnv = import("./env.js").Env;
  interface GlobalProps {
    mainModule: typeof import("./index.js");
  }
  interface Env extends WorkerEnv {}
}
