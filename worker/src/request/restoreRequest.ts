// What POST /v1/restore and POST /v1/jobs share before any work: options checked before the body is read (a bad
// query costs no upload), the body counted as it arrives, the image's type and size read from its header.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../apiError.js";
import { limitsFrom, type Env } from "../env.js";
import { inspectImage } from "../image/inspectImage.js";
import type { AuthVariables } from "../middleware/apiKeyAuth.js";
import { readImageBody } from "./readImageBody.js";
import { checkOutputSize, parseRestoreOptions, resolveOutputFormat, type OutputFormat, type RestoreOptions } from "./restoreOptions.js";

export type RestoreRequestVariables = AuthVariables & { options: RestoreOptions };
type RestoreRequestEnv = { Bindings: Env; Variables: RestoreRequestVariables };

export function parseOptions(alsoKnown: readonly string[] = []): MiddlewareHandler<RestoreRequestEnv> {
  return async (c, next) => {
    c.set("options", parseRestoreOptions(new URL(c.req.url).searchParams, alsoKnown));
    await next();
  };
}

/** Hono's bodyLimit counts the bytes actually received, so a chunked or lying Content-Length cannot pass. */
export function limitBody(): MiddlewareHandler<RestoreRequestEnv> {
  return (c, next) => {
    const { maxBytes } = limitsFrom(c.env);
    return bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes.`, { maxBytes });
      },
    })(c, next);
  };
}

export interface CheckedImage {
  image: Uint8Array;
  format: OutputFormat;
}

/** Reads the upload, checks it (type from its bytes, pixels from its header) and settles the output format. */
export async function readCheckedImage(c: Context<RestoreRequestEnv>): Promise<CheckedImage> {
  const upload = await readImageBody(c.req.raw);
  const limits = limitsFrom(c.env);
  const inspected = inspectImage(upload.bytes, limits, upload.declaredType);
  checkOutputSize(c.get("options").resize, inspected, limits);
  return { image: upload.bytes, format: resolveOutputFormat(c.get("options").format, c.req.header("accept"), inspected.format) };
}
