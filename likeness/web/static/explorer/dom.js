// Small DOM helpers: every value from the API enters the page as text (textContent), never as HTML.

/** h("a", {href: "#/x", class: "y"}, "text", child…): an element with attributes and children. */
export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else if (child instanceof Node) {
      element.appendChild(child);
    } else {
      element.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replace an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** An instant as "2025-06-12 10:00 UTC" (the API answers UTC). */
export function when(instant) {
  if (!instant) {
    return "—";
  }
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) {
    return String(instant);
  }
  return date.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

// One colour per verdict code (the same everywhere: graph, chips, chart), dark enough for white text.
const COLOURS = {
  NO_CONSENT: "#b91c1c",
  TAINTED_TWIN: "#7c2d12",
  UNCONSENTED_BUILD: "#9d174d",
  FOREIGN_CAPTURE: "#86198f",
  OUT_OF_SCOPE: "#c2410c",
  RESTRICTION_BREACHED: "#a16207",
  NOT_YET_VALID: "#4d7c0f",
  EXPIRED: "#b45309",
  LIVE_AFTER_EXPIRY: "#92400e",
  PUBLISHED_AFTER_REVOCATION: "#be123c",
  LIVE_AFTER_REVOCATION: "#9f1239",
  INVALID_SIGNATORY: "#6d28d9",
  MINOR_WITHOUT_GUARDIAN: "#5b21b6",
  INCOMPLETE_TERMS: "#1d4ed8",
  SUBLICENSE_NOT_PERMITTED: "#0e7490",
  MISSING_AI_LABEL: "#0f766e",
  MISSING_MACHINE_READABLE_MARK: "#115e59",
  UNREGISTERED_LIKENESS: "#6b21a8",
  UNDECLARED_LIKENESS: "#9a3412",
};

export function verdictColour(code) {
  if (COLOURS[code]) {
    return COLOURS[code];
  }
  let hash = 0;
  for (const char of String(code)) {
    hash = (hash * 31 + char.charCodeAt(0)) % 360;
  }
  // 25 % lightness keeps white text above 4.5:1 on every hue (yellows and greens fall short at 32 %)
  return `hsl(${hash}, 70%, 25%)`;
}

/** A verdict code as a coloured chip. */
export function chip(code) {
  const element = h("span", { class: "chip" }, code);
  element.style.backgroundColor = verdictColour(code);
  return element;
}

/** A definition list of an object's scalar fields (lists joined, objects by id). */
export function fields(object) {
  const rows = [];
  for (const [name, value] of Object.entries(object || {})) {
    if (name === "__typename" || value === null || value === undefined) {
      continue;
    }
    let shown = value;
    // a connection (a list that can grow) shows its first page's nodes
    const items = value && Array.isArray(value.nodes) ? value.nodes : value;
    if (Array.isArray(items)) {
      shown = items.map((item) => (item && typeof item === "object" ? item.id || JSON.stringify(item) : item));
      shown = shown.join(", ") || "—";
    } else if (typeof value === "object") {
      shown = value.id || JSON.stringify(value);
    }
    rows.push(h("dt", null, name), h("dd", null, String(shown)));
  }
  return h("dl", { class: "fields" }, rows);
}

/** A link to a node's page in the explorer. */
export function nodeLink(id, text) {
  return h("a", { href: `#/node/${encodeURIComponent(id)}` }, text || id);
}

/** Show that `element` is waiting for the API: aria-busy, and a line with a spinner saying what is read
 * (announced politely). The caller's next fill() replaces it; `done` clears aria-busy. */
export function loading(element, text) {
  element.setAttribute("aria-busy", "true");
  return fill(
    element,
    h(line(element), { class: "loading" }, h("span", { role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text)),
  );
}

// a list holds list items only (and a list item keeps its role: the live region is a span inside it)
function line(element) {
  return element.tagName === "UL" || element.tagName === "OL" ? "li" : "p";
}

/** The answer is drawn (or refused): `element` is no longer busy. */
export function done(element) {
  element.removeAttribute("aria-busy");
  return element;
}

/** The API refused or could not be reached: say so in `element`, which is no longer busy. */
export function failed(element, text) {
  done(element);
  return fill(element, h(line(element), { class: "error load-error" }, h("span", { role: "alert" }, text)));
}

/** Read into `element`: loading while `work` runs, no longer busy once it ends; a failure is shown in
 * the element (and thrown on, for the caller's status line). */
export async function readInto(element, text, work) {
  loading(element, text);
  try {
    return await work();
  } catch (error) {
    failed(element, `${text.replace(/…$/, "")} failed: ${error.message}`);
    throw error;
  } finally {
    done(element);
  }
}
