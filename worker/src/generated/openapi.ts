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
         * @description The body is the image itself (`image/jpeg`, `image/png`, `image/webp` or
         *     `application/octet-stream`), or `multipart/form-data` with the image in the field `image`.
         *     The media type is detected from the image's bytes; a `Content-Type` that names a different
         *     image type is refused (`media_type_mismatch`). Limits (body bytes, pixels, longest side) are
         *     checked before any decoding and are listed by `GET /v1/models`.
         *
         *     Conditional requests: results are content-addressed, so an `If-None-Match` that matches the
         *     result's `ETag` is answered `304 Not Modified` with no body (the request is treated as a
         *     safe computation, as for GET).
         */
        post: operations["restore"];
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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @enum {string} */
        Task: "lowlight" | "derain" | "deblur" | "denoise";
        /** @enum {string} */
        OutputFormat: "png" | "jpeg" | "webp";
        /**
         * @description Stable machine-readable code. Status by code:
         *     400 `invalid_task`, `invalid_parameter`, `empty_body`, `invalid_multipart`;
         *     401 `unauthorized`; 404 `not_found`; 405 `method_not_allowed`;
         *     413 `payload_too_large`, `image_too_large`; 415 `unsupported_media_type`, `media_type_mismatch`;
         *     422 `invalid_image`; 429 `rate_limited`; 500 `internal_error`;
         *     503 `upstream_unavailable`, `not_ready`; 504 `upstream_timeout`.
         * @enum {string}
         */
        ErrorCode: "invalid_task" | "invalid_parameter" | "empty_body" | "invalid_multipart" | "unauthorized" | "not_found" | "method_not_allowed" | "payload_too_large" | "image_too_large" | "unsupported_media_type" | "media_type_mismatch" | "invalid_image" | "rate_limited" | "internal_error" | "upstream_unavailable" | "not_ready" | "upstream_timeout";
        Error: {
            error: {
                code: components["schemas"]["ErrorCode"];
                /** @description For people; may change. Never contains keys or signatures. */
                message: string;
                /** @description Machine-readable context for some codes (limits, failed checks). */
                details?: {
                    [key: string]: unknown;
                };
            };
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
        /** @description `invalid_task`, `invalid_parameter`, `empty_body` or `invalid_multipart`. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `unauthorized`: missing or wrong API key. */
        Unauthorized: {
            headers: {
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `payload_too_large` (body bytes) or `image_too_large` (pixels or side, read from the header). */
        TooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `unsupported_media_type` (not JPEG, PNG or WebP) or `media_type_mismatch` (Content-Type names another type). */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `invalid_image`: the bytes start like a supported image but are truncated or corrupt. */
        InvalidImage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `rate_limited`: too many requests for this API key. */
        RateLimited: {
            headers: {
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
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `upstream_unavailable`: the inference endpoint is down, overloaded or failed. */
        Unavailable: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `upstream_timeout`: the inference endpoint did not answer in time. */
        Timeout: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description Strong validator of the result bytes. */
        ETag: string;
        /** @description RFC 9211: `edge-restore; hit` or `edge-restore; fwd=uri-miss[; stored][; collapsed]`. */
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
                task: components["schemas"]["Task"];
                /**
                 * @description Output format. Default: the first of png, jpeg, webp that `Accept` names explicitly
                 *     (highest q first), else the input's format.
                 */
                format?: components["schemas"]["OutputFormat"];
                /** @description Encoder quality for jpeg and webp (ignored for png). */
                quality?: number;
                /**
                 * @description `true` (default): base network refined by PTG-RM. `false`: base network only, to compare.
                 *     When the refinement model for a task is not deployed, the base result is returned and
                 *     `X-Refine-Applied` says `false`.
                 */
                refine?: boolean;
            };
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "image/jpeg": string;
                "image/png": string;
                "image/webp": string;
                "application/octet-stream": string;
                "multipart/form-data": {
                    image: string;
                };
            };
        };
        responses: {
            /** @description The restored image, same width and height as the input. */
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
}
