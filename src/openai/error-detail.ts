/**
 * What an OpenAI-compatible server said when it refused a request, for an error message: its
 * `{ error: { message } }`, else the first 200 characters of the body, prefixed with ": " (empty
 * when there was no body). Shared by the speech and the chat adapters.
 *
 * @example await errorDetail(new Response('{"error":{"message":"model not found"}}', { status: 404 })) // → ": model not found"
 */
export async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  if (!text) return "";
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === "string") return `: ${message.slice(0, 200)}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  return `: ${text.slice(0, 200)}`;
}
