// Reads the upload (raw bytes or multipart field `image`) after Hono's bodyLimit has capped its size.
import { ApiError } from "../apiError.js";

export interface UploadedImage {
  bytes: Uint8Array;
  /** Content-Type the client declared for the image (request header, or the multipart part's type). */
  declaredType: string | undefined;
}

export async function readImageBody(request: Request): Promise<UploadedImage> {
  const contentType = request.headers.get("content-type") ?? undefined;
  if (contentType?.toLowerCase().startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new ApiError("invalid_multipart", "The multipart body could not be parsed.");
    }
    // Typed as string by workers-types; at run time a file field is a File (a Blob).
    const part: unknown = form.get("image");
    if (!(part instanceof Blob)) {
      throw new ApiError("invalid_multipart", 'The multipart body has no file field named "image".');
    }
    return { bytes: new Uint8Array(await part.arrayBuffer()), declaredType: part.type || undefined };
  }
  return { bytes: new Uint8Array(await request.arrayBuffer()), declaredType: contentType };
}
