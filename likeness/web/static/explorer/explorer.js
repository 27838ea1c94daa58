// The Likeness explorer: sign in with an API key, search, open the graph around a node as of an
// instant, and the landing view of the signed-in role. Plain ES modules over Cytoscape.js (window
// globals from the vendored UMD builds), every script served by the API itself.

import { ApiError, gql, storeKey, storedKey } from "./api.js";
import { done, failed, fill, h, loading, nodeLink, readInto, when } from "./dom.js";
import { assetView } from "./graph.js";
import { Inbox } from "./inbox.js";
import { brandView, investigatorView, nodeView, personView, regulatorView } from "./views.js";

const signInSection = document.getElementById("sign-in");
const signInForm = document.getElementById("sign-in-form");
const keyInput = document.getElementById("api-key");
const signInError = document.getElementById("sign-in-error");
const searchForm = document.getElementById("search-form");
const searchText = document.getElementById("search-text");
const who = document.getElementById("who");
const signOut = document.getElementById("sign-out");
const view = document.getElementById("view");
const statusLine = document.getElementById("status");
const inbox = new Inbox(document.getElementById("inbox-link"), document.getElementById("inbox-count"), status);

let viewer = null;

function status(message, isError) {
  statusLine.textContent = message;
  statusLine.classList.toggle("error", Boolean(isError));
}

function showSignedOut(message) {
  viewer = null;
  inbox.end();
  signInSection.hidden = false;
  searchForm.hidden = true;
  who.hidden = true;
  signOut.hidden = true;
  fill(view);
  signInError.textContent = message || "";
  keyInput.focus();
}

async function signIn() {
  signInForm.setAttribute("aria-busy", "true");
  status("Signing in…");
  try {
    viewer = (await gql("{ viewer { role partyId } }")).viewer;
  } catch (error) {
    signInForm.removeAttribute("aria-busy");
    status("");
    storeKey(null);
    showSignedOut(
      error.status === 401 ? "That key is unknown or revoked." : `Could not sign in: ${error.message}`,
    );
    return false;
  }
  signInForm.removeAttribute("aria-busy");
  status("");
  signInSection.hidden = true;
  searchForm.hidden = false;
  signOut.hidden = false;
  who.hidden = false;
  who.textContent = `Signed in as ${viewer.role.toLowerCase()}${viewer.partyId ? " " + viewer.partyId : ""}`;
  inbox.start(); // the count and the live alerts, beside the first view
  return true;
}

async function home() {
  const landing = h("section", { id: "landing", "aria-label": "home" });
  fill(view, landing);
  switch (viewer.role) {
    case "PERSON":
      return personView(landing, viewer.partyId, status);
    case "BRAND":
    case "VENDOR":
      return brandView(landing, viewer.partyId);
    case "AGENCY":
      return agencyView(landing);
    case "REGULATOR":
      return regulatorView(landing, status);
    case "INVESTIGATOR":
      return investigatorView(landing, status);
    default: {
      // an admin sees both the market's audit and the trace box
      const audit = h("section", { id: "admin-audit" });
      const trace = h("section", { id: "admin-trace" });
      fill(landing, audit, trace);
      await investigatorView(trace, status);
      return regulatorView(audit, status);
    }
  }
}

async function agencyView(root) {
  const data = await readInto(root, "Reading the people you represent…", () =>
    gql("query($id: ID!) { organization(id: $id) { name represents(first: 1000) { nodes { id name } } } }", {
      id: viewer.partyId,
    }),
  );
  const agency = data.organization;
  fill(
    root,
    h("h2", null, `${agency ? agency.name : viewer.partyId}: the people you represent`),
    h(
      "ul",
      { id: "represented" },
      (agency ? agency.represents.nodes : []).map((person) => h("li", null, nodeLink(person.id, person.name))),
    ),
  );
}

const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 50) {
    matchedBy distance
    node {
      __typename
      ... on Person { id name }
      ... on Organization { id name kind }
      ... on Asset { id publishedAt channel }
      ... on Capture { id captureKind: kind }
      ... on Twin { id }
      ... on Consent { id purpose }
      ... on Campaign { id name }
      ... on Sighting { id url observedAt }
      ... on Payment { id }
    }
  }
}`;

// how each hit was found, in words
const MATCHED = { ID: "id", SHA256: "sha256", PHASH: "phash", NAME: "name", ID_PART: "part of its id" };

function describe(node) {
  switch (node.__typename) {
    case "Person":
      return node.name;
    case "Organization":
      return `${node.name} (${node.kind.toLowerCase()})`;
    case "Asset":
      return `published ${when(node.publishedAt)} on ${node.channel.toLowerCase()}`;
    case "Sighting":
      return `${node.url}, seen ${when(node.observedAt)}`;
    case "Campaign":
      return node.name;
    default:
      return "";
  }
}

async function searchView(text) {
  searchText.value = text;
  const list = h("ul", { id: "results", class: "results" });
  const title = h("h2", { id: "results-title", tabindex: -1 }, "Results for ", h("q", null, text));
  fill(view, title, list);
  loading(list, "Searching…");
  let hits;
  try {
    hits = (await gql(SEARCH, { text })).search;
  } catch (error) {
    failed(list, error.field ? `${error.field}: ${error.message}` : error.message);
    status(`The search was refused: ${error.message}`, true);
    return;
  }
  done(list);
  if (!hits.length) {
    fill(list, h("li", { id: "no-results" }, "Nothing you may see matches."));
  } else {
    fill(
      list,
      hits.map((hit) =>
        h(
          "li",
          { "data-id": hit.node.id },
          h("span", { class: "kind" }, hit.node.__typename),
          " ",
          nodeLink(hit.node.id),
          " ",
          h("span", { class: "muted" }, describe(hit.node)),
          " ",
          h(
            "span",
            { class: "matched" },
            `matched by ${MATCHED[hit.matchedBy] || hit.matchedBy.toLowerCase()}${hit.distance !== null ? ` (distance ${hit.distance})` : ""}`,
          ),
        ),
      ),
    );
  }
  status(`${hits.length} result(s) for “${text}”.`);
  title.focus(); // the next Tab reaches the first result
}

async function route() {
  if (!viewer) {
    return;
  }
  const hash = window.location.hash.replace(/^#\/?/, "");
  const [page, ...rest] = hash.split("/");
  const arg = decodeURIComponent(rest.join("/"));
  if (page !== "inbox") {
    inbox.left();
  }
  try {
    if (page === "inbox") {
      const section = h("section", { id: "inbox", "aria-labelledby": "inbox-title" });
      fill(view, section);
      await inbox.view(section);
      status("Inbox");
    } else if (page === "search" && arg) {
      await searchView(arg);
    } else if (page === "node" && arg) {
      const section = h("section", { id: "node" });
      fill(view, section);
      const kind = await nodeView(section, arg, status);
      if (kind === "Asset") {
        await assetView(section, arg, null, status);
      } else if (kind) {
        status(`${kind} ${arg}`);
      }
    } else {
      await home();
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      storeKey(null);
      showSignedOut("The key was refused: sign in again.");
      return;
    }
    fill(view, h("p", { class: "error", id: "view-error" }, error.message));
    status(error.message, true);
  }
}

signInForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (!key) {
    signInError.textContent = "Enter an API key.";
    return;
  }
  storeKey(key);
  keyInput.value = "";
  signInError.textContent = "";
  if (await signIn()) {
    await route();
    document.getElementById("main").focus();
  }
});

searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = searchText.value.trim();
  if (text) {
    const target = `#/search/${encodeURIComponent(text)}`;
    if (window.location.hash === target) {
      route();
    } else {
      window.location.hash = target;
    }
  }
});

signOut.addEventListener("click", () => {
  storeKey(null);
  window.location.hash = "";
  showSignedOut("Signed out.");
});

window.addEventListener("hashchange", route);

(async () => {
  if (!storedKey()) {
    showSignedOut("");
  } else if (await signIn()) {
    await route();
  }
})();
