// Where the CLI writes a result when -o is not given: beside the input, so outputs stay with their sources.
import { join, parse } from "node:path";

const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

/** File extension for a response content type (`image/jpeg; q=…` → `jpg`). */
export function extensionFor(contentType: string): string {
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  const known = EXTENSIONS[mediaType];
  if (known) return known;
  // Another image type the server may add later: its subtype is the usual extension (image/avif → avif).
  const subtype = /^image\/([a-z0-9]+)$/.exec(mediaType)?.[1];
  return subtype ?? "bin";
}

/** `photos/dark.jpg` + `image/png` → `photos/dark.restored.png`. */
export function defaultOutputPath(input: string, contentType: string): string {
  const { dir, name } = parse(input);
  return join(dir, `${name}.restored.${extensionFor(contentType)}`);
}

export function chooseOutputPath(input: string, output: string | null, contentType: string): string {
  return output ?? defaultOutputPath(input, contentType);
}
