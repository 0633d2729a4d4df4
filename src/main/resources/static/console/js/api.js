// The REST API with the signed-in user's bearer token, and problem documents (RFC 9457) as errors.

const TOKEN_KEY = 'sextant.token';
let unauthorizedHandler = () => {};

/** A failed request: the problem document's title and detail, and its errors[] when it names fields. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail ? `${problem.title || 'Error'}: ${problem.detail}` : problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

export const token = () => sessionStorage.getItem(TOKEN_KEY);
export const setToken = (value) => (value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY));

/** Called when a request answers 401: the token expired or was revoked. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export const notifyUnauthorized = () => unauthorizedHandler();

export async function problemOf(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return { title: `HTTP ${response.status}`, detail: text.slice(0, 200) };
  }
}

/** Sends a request to the API; answers { body, etag, status } or throws ApiError. */
export async function request(method, path, { body, headers = {}, signal, anonymous = false } = {}) {
  const init = { method, headers: { Accept: 'application/json, application/geo+json, application/problem+json', ...headers }, signal };
  if (!anonymous && token()) init.headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401 && !anonymous) unauthorizedHandler();
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  const text = response.status === 204 ? '' : await response.text();
  return { status: response.status, etag: response.headers.get('ETag'), body: text ? JSON.parse(text) : null };
}

export const get = async (path, options) => (await request('GET', path, options)).body;

/** Every item of a cursor-paged list, up to max. */
export async function getAll(path, max = 2000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...(page.items || []));
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

/** Signs in with a username and password (and optional tenant slug); answers the access token. */
export async function signIn(username, password, tenant) {
  const body = { username, password };
  if (tenant) body.tenant = tenant;
  const answer = await request('POST', '/api/v1/auth/token', { body, anonymous: true });
  return answer.body.access_token;
}

/** The message to show for an error: a problem's title and detail, or the error's own message. */
export function describe(error) {
  if (error instanceof ApiError) return error.message;
  return error && error.message ? error.message : String(error);
}
