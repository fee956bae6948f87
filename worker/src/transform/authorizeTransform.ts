// Who may use a transform URL: a valid, unexpired signature, or (where the deployment allows it) an unsigned
// URL whose source is listed for unsigned use. Keys and signatures never appear in messages or logs.
import { ApiError } from "../apiError.js";
import { canonicalTransform, signatureMatches } from "./signature.js";
import { isListed } from "./sourcePolicy.js";
import type { TransformConfig } from "./transformConfig.js";
import type { TransformRequest } from "./transformPath.js";
import { logEvent } from "../requestContext.js";

const challenge = { "www-authenticate": 'SignedURL realm="edge-restore"' };

export async function authorizeTransform(t: TransformRequest, config: TransformConfig, nowSeconds: number): Promise<void> {
  if (t.sig === undefined) {
    if (config.requireSignature || !isListed(t.source, config.unsignedSources)) {
      throw new ApiError("signature_required", "This transform URL must be signed (sig).", undefined, challenge);
    }
    return;
  }
  if (config.signingKeys.length === 0) logEvent("error", "no_transform_signing_keys");
  if (!(await signatureMatches(canonicalTransform(t.signedOptions, t.source), t.sig, config.signingKeys))) {
    throw new ApiError("invalid_signature", "The transform URL's signature is not valid.");
  }
  // Checked after the signature, so only an authentic exp is ever reported.
  if (t.options.exp !== undefined && t.options.exp <= nowSeconds) {
    throw new ApiError("signature_expired", "The transform URL has expired.", { expiredAt: t.options.exp });
  }
}
