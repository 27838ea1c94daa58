// Every answer the explorer shows comes from here: the public GraphQL API at /graphql, with the signed-in
// key as `Authorization: Bearer …`. The key lives in this tab's sessionStorage only, never in a URL.

const KEY = "likeness:explorer-key";
const ENDPOINT = new URL("graphql", document.baseURI).pathname;

export function storedKey() {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch (error) {
    return null;
  }
}

export function storeKey(key) {
  try {
    if (key) {
      window.sessionStorage.setItem(KEY, key);
    } else {
      window.sessionStorage.removeItem(KEY);
    }
  } catch (error) {
    // storage disabled: the key is not kept beyond this page
  }
}

/** A refusal the API answered (its message, code and field), or a network/HTTP failure. */
export class ApiError extends Error {
  constructor(message, code, field, status) {
    super(message);
    this.code = code || null;
    this.field = field || null;
    this.status = status || null;
  }
}

function authorization() {
  const key = storedKey();
  if (!key) {
    throw new ApiError("not signed in", "UNAUTHENTICATED", null, 401);
  }
  return "Bearer " + key;
}

async function answer(response) {
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ApiError(`HTTP ${response.status}: ${text.slice(0, 200)}`, null, null, response.status);
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    const ext = first.extensions || {};
    throw new ApiError(first.message, ext.code, ext.field, response.status);
  }
  if (!response.ok) {
    throw new ApiError(`HTTP ${response.status}`, null, null, response.status);
  }
  return body.data;
}

/** Run one GraphQL operation; its data, or an ApiError. */
export async function gql(query, variables) {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      Authorization: authorization(),
    },
    body: JSON.stringify({ query, variables: variables || {} }),
    credentials: "omit",
  });
  return answer(response);
}

let roots = null;

/** Which root type holds a field of this name: "query", "mutation" or null (asked once, by introspection). */
export async function rootOf(name) {
  if (roots === null) {
    roots = gql("{ __schema { queryType { fields { name } } mutationType { fields { name } } } }").then(
      (data) => ({
        query: new Set(data.__schema.queryType.fields.map((field) => field.name)),
        mutation: new Set(((data.__schema.mutationType || {}).fields || []).map((field) => field.name)),
      }),
    );
  }
  try {
    const found = await roots;
    return found.query.has(name) ? "query" : found.mutation.has(name) ? "mutation" : null;
  } catch (error) {
    roots = null;
    throw error;
  }
}

/** The trace document for the root type that offers it. */
export function traceDocument(root) {
  return `${root} Trace($file: Upload!) {
  trace(file: $file) {
    sha256 phash
    matches { kind distance exact asset { id } capture { id } }
    bestMatch { kind distance asset { id } }
    contentCredentials { validationState }
    mediaType facesFound
    faces { box { left top right bottom } frameTime
            matches { person { id name } distance threshold model capture { id } } }
  }
}`;
}

/** Trace a file: a GraphQL multipart request (operations, map, the file part) with the signed-in key. */
export async function traceFile(file, query) {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query, variables: { file: null } }));
  form.append("map", JSON.stringify({ 0: ["variables.file"] }));
  form.append("0", file, file.name);
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: { Authorization: authorization(), Accept: "application/json" },
    body: form,
    credentials: "omit",
  });
  return answer(response);
}

/** The case file of an asset or sighting as a Blob (HTML), fetched with the key: a link cannot carry it. */
export async function caseFile(id) {
  const url = new URL(`cases/${encodeURIComponent(id)}.html`, document.baseURI).pathname;
  const response = await fetch(url, {
    headers: { Authorization: authorization(), Accept: "text/html" },
    credentials: "omit",
  });
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      const body = await response.json();
      message = (body.errors && body.errors[0] && body.errors[0].message) || message;
    } catch (error) {
      // not JSON: keep the status
    }
    throw new ApiError(message, null, null, response.status);
  }
  return new Blob([await response.arrayBuffer()], { type: "text/html" });
}
