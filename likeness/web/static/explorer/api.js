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

function schemaRoots() {
  if (roots === null) {
    roots = gql(
      "{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }",
    ).then((data) => {
      const names = (type) => new Set(((type || {}).fields || []).map((field) => field.name));
      return {
        query: names(data.__schema.queryType),
        mutation: names(data.__schema.mutationType),
        subscription: names(data.__schema.subscriptionType),
      };
    });
  }
  return roots.catch((error) => {
    roots = null;
    throw error;
  });
}

/** Which root type holds a field of this name: "query", "mutation" or null (asked once, by introspection). */
export async function rootOf(name) {
  const found = await schemaRoots();
  return found.query.has(name) ? "query" : found.mutation.has(name) ? "mutation" : null;
}

/** Whether the server offers a field of this name on a root type ("query", "mutation", "subscription"). */
export async function offers(root, name) {
  return (await schemaRoots())[root].has(name);
}

/** The trace document for the root type that offers it. */
export function traceDocument(root) {
  return `${root} Trace($file: Upload!) {
  trace(file: $file) {
    sha256 phash credentialsStripped
    matches { kind distance exact credentialsStripped asset { id } capture { id } }
    bestMatch { kind distance asset { id } }
    contentCredentials { validationState trust failures signer signerOrganization }
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
  return new Blob([await (await keyed(url, "text/html")).arrayBuffer()], { type: "text/html" });
}

/** A file the API keeps behind the key (an asset's signed file, at the path `signedFile.url` gives), as a
 * Blob of the type the API answered. */
export async function keptFile(path) {
  const response = await keyed(new URL(path.replace(/^\//, ""), document.baseURI).pathname, "*/*");
  const type = response.headers.get("content-type") || "application/octet-stream";
  return new Blob([await response.arrayBuffer()], { type });
}

async function keyed(path, accept) {
  const response = await fetch(path, {
    headers: { Authorization: authorization(), Accept: accept },
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
  return response;
}

// Live answers: a GraphQL subscription over one WebSocket at /graphql, speaking graphql-transport-ws
// (connection_init with the key → connection_ack → subscribe → next… / error / complete; ping → pong).
// The key travels in connection_init's payload, never in the URL. A dropped socket is opened again after
// a growing pause (0.5 s doubling to 30 s, with jitter); a refused key (4401, 4403) is not retried.
const PROTOCOL = "graphql-transport-ws";
const RETRY_FIRST_MS = 500;
const RETRY_MOST_MS = 30_000;
const REFUSED = new Set([4400, 4401, 4403]);
const UTF8 = new TextDecoder();

function socketUrl() {
  const url = new URL("graphql", document.baseURI);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/** Follow one subscription: `onNext(data)` for each item; `onState(state, detail)` as the link changes —
 * "open" (acknowledged: items flow; after a reconnection the caller catches up on what it missed),
 * "retrying" (dropped: opened again after `detail` ms), "refused" (the key or document was refused: no
 * retry; `detail` an ApiError). Returns a function that ends it. */
export function subscribe(query, variables, { onNext, onState }) {
  let socket = null;
  let ended = false;
  let attempt = 0;
  let timer = null;
  const state = (name, detail) => onState && onState(name, detail);

  const open = () => {
    let key;
    try {
      key = authorization();
    } catch (error) {
      state("refused", error);
      return;
    }
    const ws = new WebSocket(socketUrl(), PROTOCOL);
    ws.binaryType = "arraybuffer"; // the server may send its JSON in binary frames
    socket = ws;
    const send = (message) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(message));
    ws.addEventListener("open", () => send({ type: "connection_init", payload: { Authorization: key } }));
    ws.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(typeof event.data === "string" ? event.data : UTF8.decode(event.data));
      } catch (error) {
        ws.close(4400, "not JSON");
        return;
      }
      switch (message.type) {
        case "connection_ack":
          attempt = 0;
          send({ id: "1", type: "subscribe", payload: { query, variables: variables || {} } });
          state("open");
          break;
        case "ping":
          send({ type: "pong" });
          break;
        case "next":
          if (message.payload && message.payload.errors && message.payload.errors.length) {
            const first = message.payload.errors[0];
            const ext = first.extensions || {};
            state("error", new ApiError(first.message, ext.code, ext.field));
          } else if (message.payload) {
            onNext(message.payload.data);
          }
          break;
        case "error": {
          const first = (message.payload || [])[0] || {};
          const ext = first.extensions || {};
          ended = true;
          state("refused", new ApiError(first.message || "subscription refused", ext.code, ext.field));
          ws.close(1000, "refused");
          break;
        }
        case "complete":
          // the server ended it (e.g. this subscriber fell behind): follow again, as after a drop
          ws.close(1000, "completed");
          break;
        default:
          break;
      }
    });
    ws.addEventListener("close", (event) => {
      if (socket !== ws) return;
      socket = null;
      if (ended) return;
      if (REFUSED.has(event.code)) {
        ended = true;
        state("refused", new ApiError(event.reason || "the key was refused", "UNAUTHENTICATED", null, 401));
        return;
      }
      const pause = Math.min(RETRY_MOST_MS, RETRY_FIRST_MS * 2 ** attempt) * (0.75 + Math.random() / 2);
      attempt += 1;
      state("retrying", Math.round(pause));
      timer = window.setTimeout(open, pause);
    });
  };

  open();
  return () => {
    ended = true;
    window.clearTimeout(timer);
    if (socket) {
      const ws = socket;
      socket = null;
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id: "1", type: "complete" }));
      ws.close(1000, "done");
    }
  };
}
