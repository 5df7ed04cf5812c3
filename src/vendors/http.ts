/**
 * Reading a vendor's REST API: JSON GETs that wait and retry when the vendor
 * is rate limiting (429) or failing (5xx), honouring Retry-After, and that
 * stop at once, with the vendor's own reason, when it refuses the key.
 */

/** What the vendor clients are handed: outbound HTTP, a way to wait, and the time (for Retry-After dates). */
export type VendorHttp = {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  nowMs: () => number;
};

/** The vendor refused the API key (401) or what it may read (403): nothing is stored. */
export class VendorAuthError extends Error {}
/** Any other answer that is not the data asked for. */
export class VendorError extends Error {}

const ATTEMPTS = 6;
const FIRST_BACKOFF_MS = 500;
const MAX_WAIT_MS = 120_000;

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === "") return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

async function reasonOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: string; errors?: string[] }; message?: string };
    const parts = [body.error?.message, ...(body.error?.errors ?? []), body.message].filter((p): p is string => typeof p === "string" && p !== "");
    if (parts.length > 0) return parts.join("; ");
  } catch {
    // Not JSON: the status line says enough.
  }
  return text.slice(0, 200);
}

export async function getJson(http: VendorHttp, vendor: string, url: URL, headers: Record<string, string>): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    let response: Response | null = null;
    let failure: string;
    try {
      response = await http.fetch(url, { headers });
      failure = `${response.status} ${response.statusText}`.trim();
    } catch (error) {
      failure = (error as Error).message;
    }
    if (response?.ok) return await response.json();
    if (response && (response.status === 401 || response.status === 403)) {
      const reason = await reasonOf(response);
      const what = response.status === 401 ? "rejected the API key" : "does not let this API key read";
      throw new VendorAuthError(`${vendor} ${what} (${response.status} on ${url.pathname})${reason ? `: ${reason}` : ""}; nothing was stored`);
    }
    const retryable = !response || response.status === 429 || response.status >= 500;
    if (!retryable) {
      const reason = await reasonOf(response!);
      throw new VendorError(`${vendor} answered ${failure} on ${url.pathname}${reason ? `: ${reason}` : ""}; nothing was stored`);
    }
    await response?.body?.cancel().catch(() => {});
    if (attempt === ATTEMPTS) throw new VendorError(`${vendor} still answers ${failure} on ${url.pathname} after ${ATTEMPTS} tries; nothing was stored`);
    const told = response ? retryAfterMs(response.headers.get("retry-after"), http.nowMs()) : null;
    await http.sleep(Math.min(told ?? FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_WAIT_MS));
  }
}
