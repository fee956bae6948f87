// Who may use the endpoint: a bearer token from the keys it is configured with (several at once, so that keys
// rotate with overlap), compared in constant time. Only the worker (and operators) should hold one.
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text).digest();

export class EndpointKeys {
  readonly #digests: Buffer[];

  /** `keys`: comma-separated (EDGE_RESTORE_ENDPOINT_KEYS); empty: the endpoint is open to anyone who reaches it. */
  constructor(keys: string | undefined) {
    this.#digests = (keys ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k.length > 0)
      .map(digest);
  }

  get required(): boolean {
    return this.#digests.length > 0;
  }

  /** Whether an `Authorization` header value carries one of the keys (always true when none is configured). */
  allows(authorization: string | undefined): boolean {
    if (!this.required) return true;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
    if (!token) return false;
    const presented = digest(token);
    // Every key is compared, so the time does not tell which one (or whether any) matched.
    let match = false;
    for (const key of this.#digests) match = timingSafeEqual(presented, key) || match;
    return match;
  }
}
