// The graph around an asset, as of an instant: asset → twins → captures → persons, with the vendors,
// publisher, sublicensor, campaign and consents, drawn as a layered graph (Cytoscape.js with dagre).
// A node under a verdict of its own is drawn in the verdict's colour with its code; the as-of control (a date-time
// and a slider over the instants where the asset's verdicts change, from verdictHistory) redraws it.

import { gql } from "./api.js";
import { caseFileButton, signedFileButton } from "./casefile.js";
import { chip, done, failed, fields, fill, h, loading, nodeLink, verdictColour, when } from "./dom.js";
import { FILE_FACE_MATCHES, faceMatchList } from "./faces.js";

const PROVENANCE = `query Provenance($id: ID!, $asOf: DateTime) {
  provenance(assetId: $id, asOf: $asOf) {
    asOf permitted
    asset { id sha256 phash mediaType channel territories publishedAt withdrawnAt aiLabel machineReadableMark
            contentTags recordedAt signedFile { url sha256 mimeType } }
    twins { id version builtAt recordedAt person { id } vendor { id }
            captures(first: 1000) { nodes { id } } supersedes { id } verdicts(asOf: $asOf) { code } }
    captures { id kind sha256 phash capturedAt recordedAt persons { id } capturedBy { id } }
    persons { id name jurisdiction }
    vendors { id name kind }
    publisher { id name kind }
    sublicensedFrom { id name kind }
    campaign { id name startsAt endsAt }
    consents { id purpose signedAt validFrom validUntil revokedAt territories channels mediaTypes
               sublicensable person { id } grantee { id name } twins { id } }
    verdicts { code subjectId explanation consentIds failedClauses evidence liable { partyId role } }
    liable { partyId role }
  }
  verdictHistory(assetId: $id) { code holdsFrom holdsUntil }
}`;

// the faces the asset's file shows: facts of the file, the same at every as-of instant
const FACES = `query AssetFaces($id: ID!) { asset(id: $id) { id ${FILE_FACE_MATCHES} } }`;

const KIND_COLOURS = {
  Asset: "#334155",
  Twin: "#2563eb",
  Capture: "#0891b2",
  Person: "#059669",
  Organization: "#6b7280",
  Campaign: "#a855f7",
  Consent: "#ca8a04",
};

/** The slider's stops: the day before the asset was published, then every instant where the answer
changes (publication, withdrawal, each verdict span's start and end, from verdictHistory), and now. */
export function changeInstants(asset, history, now) {
  const instants = new Set();
  const add = (value) => value && instants.add(new Date(value).toISOString());
  if (asset && asset.publishedAt) {
    add(new Date(new Date(asset.publishedAt).getTime() - 86_400_000).toISOString());
  }
  add(asset && asset.publishedAt);
  add(asset && asset.withdrawnAt);
  for (const span of history || []) {
    add(span.holdsFrom);
    add(span.holdsUntil);
  }
  add(now);
  return [...instants].sort();
}

function elementsOf(p) {
  const nodes = new Map();
  const edges = [];
  const verdictsBy = new Map();
  for (const verdict of p.verdicts) {
    const list = verdictsBy.get(verdict.subjectId) || [];
    list.push(verdict.code);
    verdictsBy.set(verdict.subjectId, list);
  }
  // each node in the colour of the verdicts holding on itself: the asset's from the provenance, a
  // twin's from its own verdicts (UNCONSENTED_BUILD is the twin's, not the asset's)
  const add = (kind, found, name, layer) => {
    if (!found || nodes.has(found.id)) {
      return;
    }
    const { verdicts: own, ...item } = found;
    const codes = verdictsBy.get(item.id) || (own || []).map((verdict) => verdict.code);
    const label = [name || item.id, ...codes].join("\n");
    nodes.set(item.id, {
      data: {
        id: item.id,
        kind,
        label,
        codes: codes.join(" "),
        colour: codes.length ? verdictColour(codes[0]) : KIND_COLOURS[kind],
        layer,
      },
      classes: codes.length ? "verdict" : kind.toLowerCase(),
      item: { __typename: kind, ...item },
    });
  };
  const link = (source, target, type) => {
    if (nodes.has(source) && nodes.has(target)) {
      edges.push({ data: { id: `${source}|${type}|${target}`, source, target, label: type } });
    }
  };
  add("Asset", p.asset, p.asset.id, 0);
  add("Organization", p.publisher, p.publisher && p.publisher.name, 1);
  add("Organization", p.sublicensedFrom, p.sublicensedFrom && p.sublicensedFrom.name, 1);
  add("Campaign", p.campaign, p.campaign && p.campaign.name, 1);
  p.twins.forEach((twin) => add("Twin", twin, twin.id, 1));
  p.vendors.forEach((vendor) => add("Organization", vendor, vendor.name, 2));
  p.consents.forEach((consent) => add("Consent", consent, consent.id, 2));
  p.captures.forEach((capture) => add("Capture", capture, capture.id, 2));
  p.persons.forEach((person) => add("Person", person, person.name, 3));
  if (p.publisher) link(p.asset.id, p.publisher.id, "PUBLISHED_BY");
  if (p.sublicensedFrom) link(p.asset.id, p.sublicensedFrom.id, "SUBLICENSED_FROM");
  if (p.campaign) link(p.asset.id, p.campaign.id, "IN_CAMPAIGN");
  for (const twin of p.twins) {
    link(p.asset.id, twin.id, "RENDERS");
    if (twin.vendor) link(twin.id, twin.vendor.id, "BUILT_BY");
    for (const capture of twin.captures.nodes) link(twin.id, capture.id, "TRAINED_ON");
    if (twin.person && !twin.captures.nodes.length) link(twin.id, twin.person.id, "REPLICA_OF");
  }
  for (const capture of p.captures) {
    for (const person of capture.persons) link(capture.id, person.id, "DEPICTS");
  }
  for (const consent of p.consents) {
    for (const twin of consent.twins) link(consent.id, twin.id, "COVERS");
    if (consent.person) link(consent.id, consent.person.id, "GRANTED_BY");
  }
  return { nodes: [...nodes.values()], edges };
}

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "background-color": "data(colour)",
      color: "#111827",
      "font-size": 11,
      "text-wrap": "wrap",
      "text-valign": "bottom",
      "text-margin-y": 4,
      width: 28,
      height: 28,
      "border-width": 2,
      "border-color": "#ffffff",
    },
  },
  {
    selector: "node.verdict",
    style: { width: 40, height: 40, "font-weight": "bold", color: "data(colour)", shape: "diamond" },
  },
  { selector: "node.consent", style: { shape: "round-rectangle" } },
  { selector: "node.organization", style: { shape: "hexagon" } },
  { selector: "node:selected", style: { "border-color": "#111827", "border-width": 4 } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "line-color": "#9ca3af",
      "target-arrow-color": "#9ca3af",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      label: "data(label)",
      "font-size": 8,
      color: "#6b7280",
      "text-rotation": "autorotate",
    },
  },
];

/** Render the asset's graph view into `root`; `asOf` an ISO instant or null for now. */
export async function assetView(root, assetId, asOf, status) {
  const asOfInput = h("input", { id: "as-of", type: "datetime-local", step: 1 });
  const slider = h("input", { id: "as-of-slider", type: "range", min: 0, max: 0, step: 1, value: 0 });
  const sliderText = h("span", { id: "as-of-slider-value", class: "muted" });
  const nowButton = h("button", { type: "button", id: "as-of-now" }, "Now");
  const canvas = h("div", { id: "graph", class: "graph", role: "img", "aria-label": "provenance graph" });
  const details = h("section", { id: "details", class: "details", "aria-labelledby": "details-title" });
  const verdictList = h("div", { id: "verdicts" });
  const nodeList = h("ul", { id: "graph-nodes", class: "node-list" });
  const faces = h("section", { id: "asset-faces" });
  const signedSlot = h("span", { id: "signed-file" });
  fill(
    root,
    h("h2", null, "Asset ", h("code", null, assetId)),
    h(
      "div",
      { class: "as-of" },
      h("label", { for: "as-of" }, "As of (UTC)"),
      asOfInput,
      nowButton,
      h("label", { for: "as-of-slider" }, "Dates where the answer changes"),
      slider,
      sliderText,
      caseFileButton(assetId, status),
      signedSlot,
    ),
    verdictList,
    h(
      "div",
      { class: "graph-row" },
      canvas,
      h(
        "div",
        { class: "side" },
        details,
        faces,
        h("h3", null, "Nodes"),
        nodeList,
      ),
    ),
  );
  loading(faces, "Reading the faces in its file…");
  gql(FACES, { id: assetId }).then(
    (data) => {
      const matches = data.asset ? data.asset.faceMatches : [];
      fill(done(faces), matches.length ? faceMatchList(matches) : null);
    },
    (error) => {
      fill(done(faces));
      status(`Could not read the faces of ${assetId}: ${error.message}`, true);
    },
  );
  let instants = [];
  let cy = null;
  let generation = 0; // a slider dragged fast asks many times: only the last answer is drawn

  const showDetails = (element) => {
    fill(
      details,
      h("h3", { id: "details-title" }, element.item.__typename, " ", h("code", null, element.data.id)),
      element.data.codes ? h("p", null, ...element.data.codes.split(" ").map(chip)) : null,
      fields(element.item),
      element.data.kind !== "Asset" ? h("p", null, nodeLink(element.data.id, "Open this node")) : null,
    );
  };

  const draw = async (moment) => {
    const reading = `Reading ${assetId}${moment ? " as of " + when(moment) : ""}…`;
    status(reading);
    loading(verdictList, reading);
    canvas.setAttribute("aria-busy", "true");
    const mine = ++generation;
    let data;
    try {
      data = await gql(PROVENANCE, { id: assetId, asOf: moment });
      if (mine !== generation) return;
    } catch (error) {
      if (mine !== generation) return;
      failed(verdictList, `Could not read ${assetId}: ${error.message}`);
      done(canvas);
      status(`Could not read ${assetId}: ${error.message}`, true);
      return;
    }
    done(verdictList);
    done(canvas);
    const p = data.provenance;
    if (p && p.asset.signedFile && !signedSlot.firstChild) {
      fill(signedSlot, signedFileButton(assetId, p.asset.signedFile, status));
    }
    if (!instants.length && p && !moment) {
      instants = changeInstants(p.asset, data.verdictHistory, moment ? null : p.asOf);
      slider.max = String(Math.max(instants.length - 1, 0));
      slider.setAttribute("aria-valuetext", "");
    }
    const shownAt = p ? p.asOf : moment;
    if (shownAt) {
      const iso = new Date(shownAt).toISOString();
      asOfInput.value = iso.slice(0, 19);
      const index = instants.indexOf(iso);
      if (index >= 0) slider.value = String(index);
      sliderText.textContent = when(shownAt);
      slider.setAttribute("aria-valuetext", when(shownAt));
      root.dataset.asOf = iso;
    }
    if (!p) {
      if (cy) cy.destroy();
      cy = null;
      fill(verdictList, h("p", { id: "verdict-summary" }, `Not published as of ${when(moment)}.`));
      fill(nodeList);
      fill(details);
      fill(canvas);
      status(`${assetId}: not published as of ${when(moment)}`);
      return;
    }
    fill(
      verdictList,
      h(
        "p",
        { id: "verdict-summary" },
        p.verdicts.length ? `${p.verdicts.length} verdict(s) as of ${when(p.asOf)}: ` : `Permitted as of ${when(p.asOf)}.`,
      ),
      p.verdicts.length
        ? h(
            "ul",
            { class: "verdicts" },
            p.verdicts.map((v) =>
              h(
                "li",
                { "data-code": v.code },
                chip(v.code),
                " ",
                v.explanation,
                v.liable.length ? h("span", { class: "muted" }, " Liable: ", v.liable.map((l) => `${l.partyId} (${l.role.toLowerCase()})`).join(", ")) : null,
              ),
            ),
          )
        : null,
    );
    const { nodes, edges } = elementsOf(p);
    const byId = new Map(nodes.map((node) => [node.data.id, node]));
    if (cy) cy.destroy();
    cy = window.cytoscape({
      container: canvas,
      elements: [...nodes.map(({ data, classes }) => ({ data, classes })), ...edges],
      style: STYLE,
      layout: { name: "dagre", rankDir: "LR", nodeSep: 24, rankSep: 90, padding: 20 },
    });
    canvas.likenessGraph = cy; // for the browser tests: what is drawn
    cy.on("tap", "node", (event) => {
      const node = byId.get(event.target.id());
      if (node) showDetails(node);
    });
    fill(
      nodeList,
      nodes.map((node) =>
        h(
          "li",
          null,
          h(
            "button",
            {
              type: "button",
              class: "link",
              "data-node": node.data.id,
              onclick: () => {
                cy.$(":selected").unselect();
                cy.getElementById(node.data.id).select();
                showDetails(node);
              },
            },
            `${node.item.__typename}: ${node.data.label.split("\n")[0]}`,
          ),
          node.data.codes ? node.data.codes.split(" ").map((code) => [" ", chip(code)]) : null,
        ),
      ),
    );
    showDetails(byId.get(p.asset.id));
    status(`${assetId} as of ${when(p.asOf)}: ${p.verdicts.map((v) => v.code).join(", ") || "permitted"}`);
  };

  asOfInput.addEventListener("change", () => {
    if (asOfInput.value) draw(new Date(asOfInput.value + "Z").toISOString());
  });
  slider.addEventListener("input", () => {
    const instant = instants[Number(slider.value)];
    if (instant) draw(instant);
  });
  nowButton.addEventListener("click", () => draw(null));
  await draw(asOf);
}
