// What test/fakes/globalSetup.ts provides to tests in Node and in workerd (vitest's inject()).
export interface FakeEndpoints {
  ok: string;
  slow: string;
  error500: string;
  malformed: string;
  drop: string;
  overloaded: string;
  /** Starts healthy; `POST <url>/fake/mode?set=<mode>` changes its behaviour (the circuit breaker tests). */
  switchable: string;
  /** Requires `Authorization: Bearer fake-endpoint-key-0123456789` on model routes, as a keyed endpoint does. */
  authed: string;
  /** A port nothing listens on. */
  down: string;
}

/** Encoded sample images (base64), made with sharp, for formats the workerd tests cannot encode themselves. */
export interface SampleImages {
  jpeg: string;
  webp: string;
  avif: string;
  /** A PNG whose alpha runs from 0 (left) to 255 (right). */
  alphaPng: string;
  /** A JPEG with a Display P3 ICC profile and EXIF: copyright, camera make, GPS latitude. */
  taggedJpeg: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    fakeEndpoints: FakeEndpoints;
    sampleImages: SampleImages;
    /** test/fakes/imageOrigin.ts, started by test/fakes/imageOriginSetup.ts (worker project only). */
    imageOrigin: string;
  }
}
