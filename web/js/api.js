// SPDX-License-Identifier: MIT
// The one way the pages talk to the server: JSON over fetch to /api/v1, the session
// cookie sent automatically, the CSRF token (from login, register or GET /me) added
// to every unsafe request, and errors turned into ApiError {status, code, fields}.

const BASE = '/api/v1';
let csrfToken = null;

export class ApiError extends Error {
  constructor(status, code, message, fields, extra) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.fields = fields || {};
    this.extra = extra || {};
  }
}

/** Remembers the CSRF token of the current session (null after logout). */
export function setCsrfToken(token) { csrfToken = token || null; }

/**
 * Calls the API. Resolves to the parsed JSON body (null for 204), rejects with an
 * ApiError (code "network" when the server cannot be reached).
 */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path.startsWith('/') && !path.startsWith(BASE) ? BASE + path : path,
      init);
  } catch (err) {
    throw new ApiError(0, 'network', err.message);
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    const { code, message, fields, ...extra } = error;
    throw new ApiError(response.status, code || 'internal', message, fields, extra);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

/** Builds "path?a=1&b=2" from an object, skipping null and undefined values. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  const s = query.toString();
  return s ? `${path}?${s}` : path;
}
