/** File names and MIME types of audio, shared by the adapters and the R2 layout. */

const EXTENSIONS: Readonly<Record<string, string>> = {
  "audio/wav": "wav",
  "audio/webm": "webm",
  "audio/ogg": "ogg",
  "audio/mpeg": "mp3",
  "audio/aac": "aac",
  "audio/flac": "flac",
};

/** `audio/webm;codecs=opus` → `webm`: some servers pick the decoder by the upload's file name. */
export function extensionOf(contentType: string): string {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return EXTENSIONS[type] ?? "bin";
}

/** The MIME type of an OpenAI `response_format`. */
export function contentTypeOfFormat(format: string): string {
  switch (format) {
    case "mp3":
      return "audio/mpeg";
    case "opus":
      return "audio/ogg";
    case "wav":
      return "audio/wav";
    default:
      return `audio/${format}`;
  }
}

export function base64Of(bytes: Uint8Array): string {
  let binary = "";
  // Chunked: String.fromCharCode with a 5 MB spread would overflow the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function bytesOfBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
