// One bounded GET for the live scanner: no redirects followed (a redirect is itself a fact to check), a time
// limit per request, and at most MAX_BODY_BYTES of the body read. Global fetch, so a proxy-aware global
// dispatcher (HTTPS_PROXY/NO_PROXY) applies to these requests as to every other request of the action.

const MAX_BODY_BYTES = 512 * 1024;

export interface LiveResponse {
  url: string;
  status: number;
  headers: Headers;
  /** Every Set-Cookie header, unjoined. */
  setCookies: string[];
  /** The first MAX_BODY_BYTES of the body, as text. */
  body: string;
}

export interface RequestBudget {
  timeoutMs: number;
  /** Requests made so far for one URL; `get` refuses more than `limit`. */
  used: number;
  limit: number;
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_BODY_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

/** GET `url`; rejects when the budget is spent, on a network error or after the time limit. */
export async function get(
  url: string,
  budget: RequestBudget,
  headers: Record<string, string> = {},
): Promise<LiveResponse> {
  if (budget.used >= budget.limit) throw new Error(`request budget of ${budget.limit} spent`);
  budget.used++;
  const response = await fetch(url, {
    redirect: 'manual',
    headers: { 'user-agent': 'shipkit-security-scan (passive)', ...headers },
    signal: AbortSignal.timeout(budget.timeoutMs),
  });
  return {
    url,
    status: response.status,
    headers: response.headers,
    setCookies: response.headers.getSetCookie(),
    body: await readCapped(response),
  };
}

/** Like `get`, but a refused connection or a timeout is `undefined` (the resource is simply not there). */
export async function tryGet(
  url: string,
  budget: RequestBudget,
  headers: Record<string, string> = {},
): Promise<LiveResponse | undefined> {
  try {
    return await get(url, budget, headers);
  } catch {
    return undefined;
  }
}

export function isHtml(response: LiveResponse): boolean {
  return /\btext\/html\b/i.test(response.headers.get('content-type') ?? '');
}
