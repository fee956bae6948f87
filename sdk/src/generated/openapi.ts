// Generated from openapi.yaml by `npm run gen`. Do not edit.
export interface paths {
    "/v1/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore one photo
         * @description The body is the image itself (`image/jpeg`, `image/png`, `image/webp`, `image/avif` or
         *     `application/octet-stream`), or `multipart/form-data` with the image in the field `image`.
         *     HEIC/HEIF (an iPhone's default) is refused with `heic_not_supported`: send JPEG, PNG, WebP or AVIF.
         *     Transparency is kept: the colour channels are restored and the alpha channel re-attached as it was
         *     (JPEG output has none: transparent areas are flattened onto white). `metadata` says which EXIF
         *     survives; `width`, `height`, `fit` and `dpr` resize the restored image (never the input: it is
         *     restored at full resolution).
         *     The media type is detected from the image's bytes; a `Content-Type` that names a different
         *     image type is refused (`media_type_mismatch`). Limits (body bytes, pixels, longest side) are
         *     checked before any decoding and are listed by `GET /v1/models`.
         *
         *     Conditional requests: results are content-addressed, so an `If-None-Match` that matches the
         *     result's `ETag` is answered `304 Not Modified` with no body (the request is treated as a
         *     safe computation, as for GET).
         *
         *     `Prefer: respond-async` (RFC 7240) makes this a job: answered as `POST /v1/jobs` answers (`202`,
         *     `Location`, a Job), with `Preference-Applied: respond-async`.
         */
        post: operations["restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore one photo asynchronously
         * @description Same body, options, authentication, limits and checks as `POST /v1/restore`, but the answer is
         *     `202 Accepted` at once with a Job and `Location: /v1/jobs/{id}`: poll the job for its progress,
         *     then fetch `GET /v1/jobs/{id}/result`. For long restorations (large photos take minutes on a
         *     CPU endpoint) this never times out. The job runs on Cloudflare Workflows: its input is stored
         *     first, the endpoint call is retried with backoff while the endpoint is unreachable or overloaded,
         *     and the result lands in the result cache whole. A job for an image whose result is already
         *     cached succeeds at once, with no inference.
         *
         *     A job is visible only to the API key that created it; any other key gets `404 not_found`. Jobs
         *     and their inputs are kept for 7 days. An API key has at most `JOBS_MAX_LIVE_PER_KEY` (default 8)
         *     jobs queued or running at once; past that, `429 rate_limited` with `details.reason`
         *     `live_jobs` and `Retry-After`.
         *
         *     With `webhook`, the job's end (`webhookEvents`: succeeded, failed, canceled; default all three) is
         *     POSTed to that URL as a `WebhookEvent`, signed the Standard Webhooks way with the key's secret
         *     (`GET /v1/webhooks/secret`): headers `webhook-id` (stable across retries: de-duplicate on it),
         *     `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256>`. A delivery that does not
         *     get a 2xx is retried with exponential backoff (10 attempts, about 3 hours in all); every event
         *     is delivered at least once. The SDK's `verifyWebhook(secret, headers, body)` checks a delivery.
         */
        post: operations["createJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job's id, as `POST /v1/jobs` answered it. */
                id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        /** A job's status and progress */
        get: operations["getJob"];
        put?: never;
        post?: never;
        /**
         * Cancel a job
         * @description A queued or running job is canceled (the endpoint stops before its next tile); the answer is the
         *     job with status `canceled`. A job that has finished is answered as it is.
         */
        delete: operations["cancelJob"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job's id, as `POST /v1/jobs` answered it. */
                id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        /**
         * A succeeded job's restored image
         * @description The same bytes and headers as `POST /v1/restore` answers for the same input and options.
         */
        get: operations["getJobResult"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The secret that signs this API key's webhooks
         * @description `whsec_` and base64, as Standard Webhooks libraries take it. It is derived from the deployment's
         *     `WEBHOOK_SIGNING_KEY` and the API key, so it is the same on every call and changes only when
         *     either does. `503 not_ready` when the deployment has no signing key.
         */
        get: operations["getWebhookSecret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cdn-cgi/restore/{options}/{source}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Restore an image by URL (for `<img src>` and CDNs)
         * @description `GET /cdn-cgi/restore/<options>/<source-url>`, e.g.
         *     `/cdn-cgi/restore/task=denoise,format=auto,exp=1767225600,sig=<sig>/https://cdn.example.com/photo.jpg`.
         *     The worker fetches the source, restores it and answers the image; `HEAD` is answered too.
         *     The same URLs work under `/v1/transform/<options>/<source-url>` (Cloudflare answers `/cdn-cgi/` paths
         *     of proxied hostnames itself); the signature always covers the canonical `/cdn-cgi/restore/` form.
         *     No API key: a transform URL is authorized by its signature, or by its source being listed for
         *     unsigned use. Transforms are off (404 `not_found`) until the deployment lists sources.
         *
         *     Grammar. `<options>` is one path segment of comma-separated `key=value` pairs, in any order, each
         *     key at most once, keys `[a-z]+`, values `[A-Za-z0-9_.-]+`: `task` (required: lowlight, derain,
         *     deblur, denoise); `format` (png, jpeg, webp, avif, or `auto`: the one of those that `Accept`
         *     names with the highest q, avif then webp first on a tie, else the source's format, and the
         *     response says `Vary: Accept`; omitted: the source's format); `quality` (1-100, jpeg, webp and
         *     avif, default 90); `refine` (true, false; default true); `metadata` (keep, copyright, none;
         *     default copyright); `width`, `height`, `fit` (scale-down, contain, cover, crop, pad) and `dpr`
         *     (resize after restoring; meanings as for `POST /v1/restore`); `onerror=redirect` (on a failure after the URL was authorized and its source allowed, answer
         *     302 to the source itself, with the error code in `X-Restore-Error`); `exp` (Unix time in
         *     seconds from which on a signed URL is refused, optional); `sig` (the signature). Everything after
         *     the `/` that ends `<options>`, the query string included, is `<source-url>`: an absolute http or
         *     https URL written as is, not percent-encoded as a whole.
         *
         *     Signature. `canonical = "/cdn-cgi/restore/" + O + "/" + S` where `O` is every option except
         *     `sig`, exactly as written in the URL, sorted by key (byte order) and joined with `,` (so `exp`,
         *     when present, is covered), and `S` is the source URL as the WHATWG URL parser serializes it
         *     (`new URL(source).href`, fragment removed). `sig = base64url(HMAC-SHA256(key, UTF-8(canonical)))`
         *     without padding (43 characters); `key` is the UTF-8 bytes of one of the deployment's signing
         *     keys (several are valid at once, for rotation; at least 32 characters). Example: key
         *     `edge-restore-example-key-0123456789abcdef`, options `task=lowlight,format=webp,quality=80,exp=4102444800`,
         *     source `https://cdn.example.com/photos/dark.jpg` give the canonical string
         *     `/cdn-cgi/restore/exp=4102444800,format=webp,quality=80,task=lowlight/https://cdn.example.com/photos/dark.jpg`
         *     and `sig=J3LpoUCikVLdjRfFu8h3J7ZKVQmtLxT8rJRXV2crZdg`. The SDK's `transformUrl` builds these URLs.
         *
         *     Sources. A source must start with one of the deployment's allowed origins or prefixes and be
         *     http(s) without user info; hosts that are IP literals in loopback, private, shared, link-local
         *     (cloud metadata 169.254.169.254), multicast or reserved ranges, IPv4-mapped or other IPv6
         *     forms that embed IPv4, `localhost`, `*.localhost`, `*.local`, `*.internal`, `*.localdomain`,
         *     `*.home.arpa` and single-label names are refused whatever the list says (decimal, octal and hex
         *     IPv4 forms are normalized first), as are percent-encoded `/`, `\`, `.` and NUL in the path. Redirects are followed by the worker, each hop checked again, up to a hop limit. The
         *     download has a byte limit and a time limit, and the image header's width and height are checked
         *     against the limits as soon as the header arrives, before the rest is read.
         *
         *     Caching. Results are stored by the content of the source (the same R2 cache as `POST
         *     /v1/restore`) and the whole response by transform at the edge; identical concurrent requests
         *     share one download and one inference. Success: `Cache-Control: public, max-age=<ttl>` (at most
         *     the time left until `exp`), a strong `ETag` (`If-None-Match` gives 304), `Cache-Status`
         *     (`edge-restore; hit; detail=edge`, `edge-restore; hit`, or `edge-restore; fwd=uri-miss...`).
         *     Errors and redirects: `Cache-Control: no-store`.
         */
        get: operations["transform"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tasks, model versions, parameter counts and limits */
        get: operations["listModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (the worker answers; checks nothing else) */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness (R2 and the inference endpoint answer) */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Human-readable API reference */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Demo page
         * @description A self-contained page (no external assets) that restores one image through the SDK and shows it as a
         *     before/after slider, with the response's timings, cache status and whether refinement was applied. It
         *     needs an API key; the field is pre-filled only where the deployment sets `DEMO_API_KEY` (local development
         *     only: `npm start` sets it to the dev key). Served with `Cache-Control: no-store` and a
         *     `Content-Security-Policy` that allows only its own inline script and style.
         */
        get: operations["getDemoPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    jobEvent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A job ended (sent to the job's `webhook` URL)
         * @description Sent for the events the job asked for (`webhookEvents`). Headers: `webhook-id` (stable across retries:
         *     de-duplicate on it), `webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,<base64
         *     HMAC-SHA256 of "<id>.<timestamp>.<body>">` with the key's secret from `GET /v1/webhooks/secret`). The
         *     SDK's `verifyWebhook(secret, headers, body)` checks a delivery. Answer any 2xx; anything else, or no
         *     answer, is retried with exponential backoff (10 attempts, about 3 hours in all).
         */
        post: operations["jobEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @enum {string} */
        Task: "lowlight" | "derain" | "deblur" | "denoise";
        /** @enum {string} */
        OutputFormat: "png" | "jpeg" | "webp" | "avif";
        /**
         * @default copyright
         * @enum {string}
         */
        Metadata: "keep" | "copyright" | "none";
        /**
         * @default scale-down
         * @enum {string}
         */
        Fit: "scale-down" | "contain" | "cover" | "crop" | "pad";
        /**
         * @description Stable machine-readable code. Status by code:
         *     400 `invalid_task`, `invalid_parameter`, `empty_body`, `invalid_multipart`, `invalid_transform`,
         *     `webhook_not_allowed`;
         *     401 `unauthorized`, `signature_required`;
         *     403 `invalid_signature`, `signature_expired`, `source_not_allowed`;
         *     404 `not_found`; 405 `method_not_allowed`; 409 `job_not_succeeded`;
         *     413 `payload_too_large`, `image_too_large`, `source_too_large`;
         *     415 `unsupported_media_type`, `media_type_mismatch`, `heic_not_supported`;
         *     422 `invalid_image`; 429 `rate_limited`; 500 `internal_error`; 502 `source_unavailable`;
         *     503 `upstream_unavailable`, `not_ready`; 504 `upstream_timeout`, `source_timeout`.
         * @enum {string}
         */
        ErrorCode: "invalid_task" | "invalid_parameter" | "empty_body" | "invalid_multipart" | "invalid_transform" | "webhook_not_allowed" | "unauthorized" | "signature_required" | "invalid_signature" | "signature_expired" | "source_not_allowed" | "not_found" | "method_not_allowed" | "job_not_succeeded" | "payload_too_large" | "image_too_large" | "source_too_large" | "unsupported_media_type" | "media_type_mismatch" | "heic_not_supported" | "invalid_image" | "rate_limited" | "internal_error" | "source_unavailable" | "upstream_unavailable" | "not_ready" | "upstream_timeout" | "source_timeout";
        Error: {
            error: {
                code: components["schemas"]["ErrorCode"];
                /** @description For people; may change. Never contains keys or signatures. */
                message: string;
                /** @description Machine-readable context for some codes (limits, failed checks). */
                details?: {
                    [key: string]: unknown;
                };
                /** @description This request's id (also its `X-Request-Id` response header and in every log line the worker and the endpoint write for it); quote it when reporting a problem. */
                requestId?: string;
            };
        };
        /** @enum {string} */
        JobStatus: "queued" | "running" | "succeeded" | "failed" | "canceled";
        Job: {
            /** @description Unguessable (128 random bits), `job_` and 32 hex digits. */
            id: string;
            status: components["schemas"]["JobStatus"];
            task: components["schemas"]["Task"];
            /** @description Never goes backwards. `tilesTotal` is 0 until the endpoint has planned the tiles. */
            progress: {
                /** @enum {string} */
                stage: "queued" | "decode" | "osf" | "tiles" | "encode" | "done";
                tilesDone: number;
                tilesTotal: number;
            };
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            finishedAt?: string;
            /** @description Why the job failed (the `Error` schema's inner object, with its stable code). */
            error?: {
                code: components["schemas"]["ErrorCode"];
                message: string;
                details?: {
                    [key: string]: unknown;
                };
            };
            /** @description When succeeded, the path of the result, `/v1/jobs/{id}/result`. */
            result?: string;
        };
        WebhookSecret: {
            secret: string;
        };
        /** @description The body of a webhook delivery (`POST` to the job's `webhook` URL). */
        WebhookEvent: {
            /** @enum {string} */
            type: "job.succeeded" | "job.failed" | "job.canceled";
            /** Format: date-time */
            timestamp: string;
            data: components["schemas"]["Job"];
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        Readiness: {
            /** @constant */
            status: "ready";
            checks: {
                /** @enum {string} */
                r2: "ok" | "failed";
                /** @enum {string} */
                endpoint: "ok" | "failed";
            };
        };
        Limits: {
            /** @description Largest accepted request body, in bytes. */
            maxBytes: number;
            /** @description Largest accepted width × height. */
            maxPixels: number;
            /** @description Largest accepted width or height. */
            maxDimension: number;
            inputFormats: string[];
            outputFormats: components["schemas"]["OutputFormat"][];
        };
        TaskModel: {
            task: components["schemas"]["Task"];
            /** @description Open Inference Protocol model name on the endpoint, `restore-<task>`. */
            model: string;
            /** @description Model version this deployment pins; part of every cache key. */
            version: string;
            /** @description Whether the endpoint reported this model version ready just now. */
            available: boolean;
            /** @description Parameter counts reported by the endpoint, or null when it did not answer. */
            parameters: null | {
                base?: number;
                refiner?: number;
            };
            /** @description What the endpoint says the pipeline is (base network, refiner), when known. */
            description?: string;
        };
        ModelList: {
            tasks: components["schemas"]["TaskModel"][];
            limits: components["schemas"]["Limits"];
        };
    };
    responses: {
        /** @description `invalid_task`, `invalid_parameter`, `empty_body`, `invalid_multipart` or (jobs) `webhook_not_allowed`. */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `unauthorized`: missing or wrong API key. */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `invalid_transform`: the options segment or the source URL does not follow the grammar; `details.option` names the option. */
        InvalidTransform: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `signature_required`: this transform URL must be signed (`sig`). */
        SignatureRequired: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                /** @description `SignedURL realm="edge-restore"`. */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `invalid_signature` (tampered, wrong key or malformed `sig`), `signature_expired` (`exp` has passed) or `source_not_allowed` (`details.reason`: `scheme`, `userinfo`, `local-hostname`, `private-address`, `encoded-path`, `not-listed`; also for a redirect hop). */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `not_found`: no such route, or URL transforms are not enabled on this deployment. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `source_unavailable`: the source could not be fetched, answered an error status (`details.status`) or redirected too often. */
        SourceUnavailable: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `payload_too_large` (body bytes), `source_too_large` (source download bytes) or `image_too_large` (pixels or side, read from the header). */
        TooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `unsupported_media_type` (not JPEG, PNG, WebP or AVIF), `media_type_mismatch` (Content-Type names another type) or `heic_not_supported` (HEIC/HEIF: send JPEG, PNG, WebP or AVIF instead). */
        UnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `invalid_image`: the bytes start like a supported image but are truncated or corrupt. */
        InvalidImage: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `job_not_succeeded`: the job is still queued or running (then `Retry-After` says when to look again), failed or was canceled; `details.status` says which. */
        JobNotSucceeded: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `rate_limited`: too many requests for this API key. */
        RateLimited: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `internal_error`. */
        InternalError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `upstream_unavailable`: the inference endpoint is down, overloaded or failed. */
        Unavailable: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `upstream_timeout`: the inference endpoint did not answer in time (with `details.continuing: true` when it was still working on the image: the restoration goes on as a job and its result will be cached, so the same request sent again after `Retry-After` is answered from the cache); `source_timeout`: a transform source did not finish downloading in time. */
        Timeout: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description Which restoration to run. */
        Task: components["schemas"]["Task"];
        /**
         * @description Output format. Default: the type among avif, webp, jpeg, png that `Accept` names explicitly
         *     with the highest q (on a tie avif, then webp, then jpeg or png), else the input's format; the
         *     response then says `Vary: Accept`.
         */
        Format: components["schemas"]["OutputFormat"];
        /** @description Encoder quality for jpeg, webp and avif (ignored for png). */
        Quality: number;
        /**
         * @description `true` (default): base network refined by PTG-RM. `false`: base network only, to compare.
         *     When the refinement model for a task is not deployed, the base result is returned and
         *     `X-Refine-Applied` says `false`.
         */
        Refine: boolean;
        /**
         * @description What the result keeps of the input's metadata (Cloudflare Images' values). `copyright` (default):
         *     only the EXIF copyright tag; `keep`: the EXIF (GPS included), XMP and the ICC colour profile, the
         *     pixels converted back into that profile; `none`: nothing. Without `keep` the result is sRGB. The
         *     EXIF orientation is applied to the pixels whatever this says.
         */
        Metadata: components["schemas"]["Metadata"];
        /**
         * @description Resize the restored image to this width in CSS pixels (times `dpr`), as `fit` says. With only one
         *     of width and height the aspect ratio is kept. The output may have at most the deployment's
         *     `maxPixels`.
         */
        Width: number;
        /** @description Resize the restored image to this height (see `width`). */
        Height: number;
        /**
         * @description How `width` and `height` are met (Cloudflare Images' names). `scale-down` (default): fit inside,
         *     never enlarged; `contain`: fit inside, enlarged if smaller; `cover`: cover the box exactly, the
         *     centre kept; `crop`: as cover but never enlarged; `pad`: fit inside, then padded to the box
         *     (white, or transparent when the image has alpha). Needs a width or height.
         */
        Fit: components["schemas"]["Fit"];
        /** @description Device pixel ratio multiplying `width` and `height` (1 to 4, two decimals at most). Needs a width or height. */
        Dpr: number;
        /** @description The job's id, as `POST /v1/jobs` answered it. */
        JobId: string;
    };
    requestBodies: {
        /** @description The image itself, or multipart/form-data with the image in the field `image`. */
        Image: {
            content: {
                "image/jpeg": string;
                "image/png": string;
                "image/webp": string;
                "image/avif": string;
                "application/octet-stream": string;
                "multipart/form-data": {
                    image: string;
                };
            };
        };
    };
    headers: {
        /** @description The request's id, on every response. A client may send its own `X-Request-Id` (letters, digits, `_`, `-`, `=`; at most 100), which is then used; otherwise the worker makes one up. */
        "X-Request-Id": string;
        /** @description Strong validator of the result bytes. */
        ETag: string;
        /** @description RFC 9211: `edge-restore; hit` or `edge-restore; fwd=uri-miss[; stored][; collapsed]`; a transform answered from the edge cache says `edge-restore; hit; detail=edge`. */
        "Cache-Status": string;
        /** @description Results are content-addressed and never change. */
        "Cache-Control": string;
        /** @description Model and version that produced the result, `restore-<task>/<version>`. */
        "X-Model-Version": string;
        /** @description `true` when PTG-RM refined the base result, `false` when the base result is returned. */
        "X-Refine-Applied": "true" | "false";
        /** @description Time spent per stage (cache, inference), milliseconds. */
        "Server-Timing": string;
        /** @description Seconds to wait before trying again. */
        "Retry-After": number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    restore: {
        parameters: {
            query: {
                /** @description Which restoration to run. */
                task: components["parameters"]["Task"];
                /**
                 * @description Output format. Default: the type among avif, webp, jpeg, png that `Accept` names explicitly
                 *     with the highest q (on a tie avif, then webp, then jpeg or png), else the input's format; the
                 *     response then says `Vary: Accept`.
                 */
                format?: components["parameters"]["Format"];
                /** @description Encoder quality for jpeg, webp and avif (ignored for png). */
                quality?: components["parameters"]["Quality"];
                /**
                 * @description `true` (default): base network refined by PTG-RM. `false`: base network only, to compare.
                 *     When the refinement model for a task is not deployed, the base result is returned and
                 *     `X-Refine-Applied` says `false`.
                 */
                refine?: components["parameters"]["Refine"];
                /**
                 * @description What the result keeps of the input's metadata (Cloudflare Images' values). `copyright` (default):
                 *     only the EXIF copyright tag; `keep`: the EXIF (GPS included), XMP and the ICC colour profile, the
                 *     pixels converted back into that profile; `none`: nothing. Without `keep` the result is sRGB. The
                 *     EXIF orientation is applied to the pixels whatever this says.
                 */
                metadata?: components["parameters"]["Metadata"];
                /**
                 * @description Resize the restored image to this width in CSS pixels (times `dpr`), as `fit` says. With only one
                 *     of width and height the aspect ratio is kept. The output may have at most the deployment's
                 *     `maxPixels`.
                 */
                width?: components["parameters"]["Width"];
                /** @description Resize the restored image to this height (see `width`). */
                height?: components["parameters"]["Height"];
                /**
                 * @description How `width` and `height` are met (Cloudflare Images' names). `scale-down` (default): fit inside,
                 *     never enlarged; `contain`: fit inside, enlarged if smaller; `cover`: cover the box exactly, the
                 *     centre kept; `crop`: as cover but never enlarged; `pad`: fit inside, then padded to the box
                 *     (white, or transparent when the image has alpha). Needs a width or height.
                 */
                fit?: components["parameters"]["Fit"];
                /** @description Device pixel ratio multiplying `width` and `height` (1 to 4, two decimals at most). Needs a width or height. */
                dpr?: components["parameters"]["Dpr"];
            };
            header?: {
                "If-None-Match"?: string;
                /** @description `respond-async`: answer with a job at once (202). */
                Prefer?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["Image"];
        responses: {
            /** @description The restored image, the input's width and height unless `width` or `height` resized it. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Status": components["headers"]["Cache-Status"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Model-Version": components["headers"]["X-Model-Version"];
                    "X-Refine-Applied": components["headers"]["X-Refine-Applied"];
                    "Server-Timing": components["headers"]["Server-Timing"];
                    [name: string]: unknown;
                };
                content: {
                    "image/png": string;
                    "image/jpeg": string;
                    "image/webp": string;
                    "image/avif": string;
                };
            };
            /** @description `Prefer: respond-async`: the job (see `POST /v1/jobs`). */
            202: {
                headers: {
                    /** @description `/v1/jobs/{id}`. */
                    Location?: string;
                    "Preference-Applied"?: "respond-async";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description The result matches `If-None-Match`; no body. */
            304: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Status": components["headers"]["Cache-Status"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["InvalidImage"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
            504: components["responses"]["Timeout"];
        };
    };
    createJob: {
        parameters: {
            query: {
                /** @description Which restoration to run. */
                task: components["parameters"]["Task"];
                /**
                 * @description Output format. Default: the type among avif, webp, jpeg, png that `Accept` names explicitly
                 *     with the highest q (on a tie avif, then webp, then jpeg or png), else the input's format; the
                 *     response then says `Vary: Accept`.
                 */
                format?: components["parameters"]["Format"];
                /** @description Encoder quality for jpeg, webp and avif (ignored for png). */
                quality?: components["parameters"]["Quality"];
                /**
                 * @description `true` (default): base network refined by PTG-RM. `false`: base network only, to compare.
                 *     When the refinement model for a task is not deployed, the base result is returned and
                 *     `X-Refine-Applied` says `false`.
                 */
                refine?: components["parameters"]["Refine"];
                /**
                 * @description What the result keeps of the input's metadata (Cloudflare Images' values). `copyright` (default):
                 *     only the EXIF copyright tag; `keep`: the EXIF (GPS included), XMP and the ICC colour profile, the
                 *     pixels converted back into that profile; `none`: nothing. Without `keep` the result is sRGB. The
                 *     EXIF orientation is applied to the pixels whatever this says.
                 */
                metadata?: components["parameters"]["Metadata"];
                /**
                 * @description Resize the restored image to this width in CSS pixels (times `dpr`), as `fit` says. With only one
                 *     of width and height the aspect ratio is kept. The output may have at most the deployment's
                 *     `maxPixels`.
                 */
                width?: components["parameters"]["Width"];
                /** @description Resize the restored image to this height (see `width`). */
                height?: components["parameters"]["Height"];
                /**
                 * @description How `width` and `height` are met (Cloudflare Images' names). `scale-down` (default): fit inside,
                 *     never enlarged; `contain`: fit inside, enlarged if smaller; `cover`: cover the box exactly, the
                 *     centre kept; `crop`: as cover but never enlarged; `pad`: fit inside, then padded to the box
                 *     (white, or transparent when the image has alpha). Needs a width or height.
                 */
                fit?: components["parameters"]["Fit"];
                /** @description Device pixel ratio multiplying `width` and `height` (1 to 4, two decimals at most). Needs a width or height. */
                dpr?: components["parameters"]["Dpr"];
                /**
                 * @description http(s) URL to notify when the job ends. Refused (`400 webhook_not_allowed`, `details.reason`:
                 *     `invalid-url`, `scheme`, `userinfo`, `local-hostname`, `private-address`) when it could reach the
                 *     service's own network, as transform sources are; redirects of a delivery are checked hop by hop.
                 */
                webhook?: string;
                /** @description Comma-separated job ends to notify; default `succeeded,failed,canceled`. */
                webhookEvents?: string;
            };
            header?: {
                /**
                 * @description `wait=N` (RFC 7240; at most 60): when the job succeeds within N seconds the answer is its result
                 *     (`200`, as `GET /v1/jobs/{id}/result`), otherwise the job (`202`) as usual.
                 */
                Prefer?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["Image"];
        responses: {
            /** @description `Prefer: wait=N` and the job succeeded in time: its restored image. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Status": components["headers"]["Cache-Status"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Model-Version": components["headers"]["X-Model-Version"];
                    "X-Refine-Applied": components["headers"]["X-Refine-Applied"];
                    "Preference-Applied"?: string;
                    /** @description `/v1/jobs/{id}/result`. */
                    "Content-Location"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "image/png": string;
                    "image/jpeg": string;
                    "image/webp": string;
                    "image/avif": string;
                };
            };
            /** @description The job was accepted (or, for a cached result, has already succeeded). */
            202: {
                headers: {
                    /** @description `/v1/jobs/{id}`. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["InvalidImage"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `not_ready`: a `webhook` was given but webhooks are not configured on this deployment. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job's id, as `POST /v1/jobs` answered it. */
                id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job's id, as `POST /v1/jobs` answered it. */
                id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job after cancellation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getJobResult: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job's id, as `POST /v1/jobs` answered it. */
                id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The restored image. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Status": components["headers"]["Cache-Status"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    "X-Model-Version": components["headers"]["X-Model-Version"];
                    "X-Refine-Applied": components["headers"]["X-Refine-Applied"];
                    [name: string]: unknown;
                };
                content: {
                    "image/png": string;
                    "image/jpeg": string;
                    "image/webp": string;
                    "image/avif": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["JobNotSucceeded"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecret"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `not_ready`: webhooks are not configured on this deployment. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    transform: {
        parameters: {
            query?: never;
            header?: {
                /** @description Decides the format when `format=auto`. */
                Accept?: string;
                "If-None-Match"?: string;
            };
            path: {
                /**
                 * @description Comma-separated `key=value` transform options (see above).
                 * @example task=denoise,format=auto
                 */
                options: string;
                /**
                 * @description The source image's absolute http(s) URL, as is (its slashes and query string included).
                 * @example https://cdn.example.com/photo.jpg
                 */
                source: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The restored image, same width and height as the source. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Status": components["headers"]["Cache-Status"];
                    /** @description `public, max-age=<ttl>`, capped at the seconds left until `exp`. */
                    "Cache-Control"?: string;
                    "X-Model-Version": components["headers"]["X-Model-Version"];
                    "X-Refine-Applied": components["headers"]["X-Refine-Applied"];
                    "Server-Timing": components["headers"]["Server-Timing"];
                    [name: string]: unknown;
                };
                content: {
                    "image/png": string;
                    "image/jpeg": string;
                    "image/webp": string;
                    "image/avif": string;
                };
            };
            /** @description `onerror=redirect` and the transform failed: the source image itself; no body. */
            302: {
                headers: {
                    /** @description The source URL. */
                    Location?: string;
                    /** @description The error code the transform would otherwise have answered. */
                    "X-Restore-Error"?: components["schemas"]["ErrorCode"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The result matches `If-None-Match`; no body. */
            304: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Status": components["headers"]["Cache-Status"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["InvalidTransform"];
            401: components["responses"]["SignatureRequired"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["InvalidImage"];
            500: components["responses"]["InternalError"];
            502: components["responses"]["SourceUnavailable"];
            503: components["responses"]["Unavailable"];
            504: components["responses"]["Timeout"];
        };
    };
    listModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What this deployment serves. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve restorations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description A dependency is not ready; `error.details.checks` says which. */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                };
            };
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HTML rendered from this document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getDemoPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The demo page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    jobEvent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Delivered; not sent again. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not accepted; the delivery is retried. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
