// The landing view of each role, and the page of any node that is not an asset. Every answer comes
// from the public GraphQL API with the signed-in key, so each shows only what that key may see.

import { gql, rootOf, traceDocument, traceFile } from "./api.js";
import { caseFileButton } from "./casefile.js";
import { chip, done, failed, fields, fill, h, loading, nodeLink, readInto, verdictColour, when } from "./dom.js";
import { FILE_FACE_MATCHES, PERSON_FACE_MATCHES, faceMatchList, faceMatchesTable, tracedFaces } from "./faces.js";

const USAGE = `query Usage($person: ID!, $after: String) {
  person(id: $person) { id name ${PERSON_FACE_MATCHES} }
  likenessUsage(personId: $person, first: 50, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id publishedAt withdrawnAt channel territories publisher { id name } }
            verdicts { code explanation } }
  }
  compensation(personId: $person) {
    consent { id purpose validFrom validUntil revokedAt grantee { id name } }
    agreed { amount currency basis } uses paidTotal currency payments { id amount currency paidAt }
  }
}`;

/** A person: every use of her likeness on a timeline with its verdicts, where her face was found, and
 * compensation per consent. */
export async function personView(root, personId, status) {
  const data = await readInto(root, "Reading every use of this likeness…", () => gql(USAGE, { person: personId }));
  const usage = data.likenessUsage;
  const name = data.person ? data.person.name : personId;
  const rows = [...usage.edges].sort((a, b) => a.node.publishedAt.localeCompare(b.node.publishedAt));
  fill(
    root,
    h("h2", null, `Every use of ${name}'s likeness`),
    h("p", { class: "muted" }, `${usage.totalCount} asset(s) render a twin of ${name}.`),
    h(
      "ol",
      { class: "timeline", id: "timeline" },
      rows.map((edge) =>
        h(
          "li",
          { "data-asset": edge.node.id },
          h("time", { datetime: edge.node.publishedAt }, when(edge.node.publishedAt)),
          " ",
          nodeLink(edge.node.id),
          h(
            "span",
            { class: "muted" },
            ` ${edge.node.channel.toLowerCase()} in ${edge.node.territories.join(", ")} by `,
            edge.node.publisher ? edge.node.publisher.name : "—",
            edge.node.withdrawnAt ? `, withdrawn ${when(edge.node.withdrawnAt)}` : "",
          ),
          " ",
          edge.verdicts.length ? edge.verdicts.map((v) => [chip(v.code), " "]) : h("span", { class: "ok" }, "permitted"),
        ),
      ),
    ),
    usage.pageInfo.hasNextPage ? h("p", { class: "muted" }, "Only the first 50 uses are shown.") : null,
    faceMatchesTable(name, data.person ? data.person.faceMatches : [], status),
    h("h2", null, "Compensation per consent"),
    h(
      "table",
      { id: "compensation" },
      h(
        "thead",
        null,
        h("tr", null, ["Consent", "Grantee", "Valid", "Agreed", "Uses", "Paid"].map((t) => h("th", { scope: "col" }, t))),
      ),
      h(
        "tbody",
        null,
        data.compensation.map((pay) =>
          h(
            "tr",
            null,
            h("td", null, nodeLink(pay.consent.id)),
            h("td", null, pay.consent.grantee ? pay.consent.grantee.name : "—"),
            h(
              "td",
              null,
              `${when(pay.consent.validFrom)} – ${pay.consent.validUntil ? when(pay.consent.validUntil) : "open"}`,
              pay.consent.revokedAt ? ` (revoked ${when(pay.consent.revokedAt)})` : "",
            ),
            h(
              "td",
              null,
              pay.agreed ? `${pay.agreed.amount} ${pay.agreed.currency} ${pay.agreed.basis.toLowerCase()}` : "—",
            ),
            h("td", null, String(pay.uses)),
            h("td", null, `${pay.paidTotal} ${pay.currency || ""}`.trim()),
          ),
        ),
      ),
    ),
  );
}

const OWN = `query Own($org: ID!) {
  organization(id: $org) { id name kind }
  usageHistory(organizationId: $org, expiringWithinDays: 90) {
    assets { asset { id publishedAt withdrawnAt channel territories campaign { id name } } consentIds
             verdicts { code } }
    expiringConsents { id validUntil person { id name } twins { id } }
  }
}`;

/** A brand (or vendor): its assets, the consents they ran under, and what expires soon. */
export async function brandView(root, orgId) {
  const data = await readInto(root, "Reading your assets and consents…", () => gql(OWN, { org: orgId }));
  const own = data.usageHistory;
  const name = data.organization ? data.organization.name : orgId;
  fill(
    root,
    h("h2", null, `${name}: assets and the consents they ran under`),
    h(
      "table",
      { id: "brand-assets" },
      h(
        "thead",
        null,
        h("tr", null, ["Asset", "Published", "Channel", "Campaign", "Consents", "Verdicts"].map((t) => h("th", { scope: "col" }, t))),
      ),
      h(
        "tbody",
        null,
        own.assets.map((use) =>
          h(
            "tr",
            { "data-asset": use.asset.id },
            h("td", null, nodeLink(use.asset.id)),
            h("td", null, when(use.asset.publishedAt)),
            h("td", null, `${use.asset.channel.toLowerCase()} ${use.asset.territories.join(", ")}`),
            h("td", null, use.asset.campaign ? use.asset.campaign.name : "—"),
            h("td", null, use.consentIds.length ? use.consentIds.map((id) => [nodeLink(id), " "]) : "none"),
            h("td", null, use.verdicts.length ? use.verdicts.map((v) => [chip(v.code), " "]) : h("span", { class: "ok" }, "permitted")),
          ),
        ),
      ),
    ),
    h("h2", null, "Consents expiring within 90 days"),
    own.expiringConsents.length
      ? h(
          "ul",
          { id: "expiring" },
          own.expiringConsents.map((consent) =>
            h(
              "li",
              null,
              nodeLink(consent.id),
              ` ${consent.person ? consent.person.name : ""} — until ${when(consent.validUntil)}`,
            ),
          ),
        )
      : h("p", { id: "expiring" }, "None."),
  );
}

const AUDIT = `query Audit($filter: AuditFilter, $first: Int!, $after: String, $asOf: DateTime) {
  audit(filter: $filter, first: $first, after: $after, asOf: $asOf) {
    totalCount countsByCode { code count } pageInfo { hasNextPage endCursor }
    edges { node { code subjectId explanation holdsFrom liable { partyId role } } }
  }
}`;

// The counts by law, asked apart: no count is kept for them, so they read every matching verdict, which
// over a whole market takes longer than the page and its counts by code (kept at write time).
const AUDIT_BY_LAW = `query AuditByLaw($filter: AuditFilter, $asOf: DateTime) {
  audit(filter: $filter, first: 1, asOf: $asOf) { countsByLaw { lawId count } }
}`;

// the laws in force now (and those proposed), offered as the law filter's suggestions
const LAWS = `query Laws { laws { id title status } }`;

/** A bar per count: `key` names the counted thing (a code, a law id), each bar's item carries it as
 * `attribute` and is drawn in `colour(thing)`; `none` says so when nothing is counted. */
function barChart(counts, { id, caption, key, attribute, colour, none }) {
  return h("figure", { class: "chart", id }, bars(counts, { caption, key, attribute, colour, none }));
}

function bars(counts, { caption, key, attribute, colour, none }) {
  const max = Math.max(1, ...counts.map((c) => c.count));
  return [
    h("figcaption", null, caption),
    counts.length === 0 ? h("p", { class: "chart-empty" }, none) : null,
    h(
      "ul",
      { class: "bars" },
      counts.map((c) => {
        const bar = h("span", { class: "bar" });
        bar.style.width = `${(100 * c.count) / max}%`;
        bar.style.backgroundColor = colour(c[key]);
        return h("li", { [attribute]: c[key] }, h("span", { class: "bar-label" }, c[key]), h("span", { class: "bar-track" }, bar), h("span", { class: "bar-count" }, String(c.count)));
      }),
    ),
  ];
}

const LAW_CHART = {
  caption: "Verdicts by the law they break",
  key: "lawId",
  attribute: "data-law",
  colour: () => "var(--law)",
  none: "No verdict breaks a law in force where and when it happened.",
};

/** A regulator: the audit, its counts by code and by law as bar charts, filters and paging. */
export async function regulatorView(root, status) {
  const code = h("input", { id: "f-code", name: "code", placeholder: "e.g. NO_CONSENT" });
  const party = h("input", { id: "f-party", name: "party", placeholder: "e.g. brand-maren" });
  const territory = h("input", { id: "f-territory", name: "territory", maxlength: 2, placeholder: "e.g. DE" });
  const law = h("input", { id: "f-law", name: "law", list: "law-ids", placeholder: "e.g. EU-AI-ACT-50" });
  const lawIds = h("datalist", { id: "law-ids" });
  const jurisdiction = h("input", { id: "f-jurisdiction", name: "jurisdiction", maxlength: 6, placeholder: "e.g. SE, EU" });
  const from = h("input", { id: "f-from", name: "from", type: "date" });
  const to = h("input", { id: "f-to", name: "to", type: "date" });
  const results = h("div", { id: "audit-results" });
  const form = h(
    "form",
    { id: "audit-form", class: "filters" },
    h("label", { for: "f-code" }, "Code"),
    code,
    h("label", { for: "f-party" }, "Liable party"),
    party,
    h("label", { for: "f-territory" }, "Territory"),
    territory,
    h("label", { for: "f-law" }, "Law"),
    law,
    lawIds,
    h("label", { for: "f-jurisdiction" }, "Jurisdiction"),
    jurisdiction,
    h("label", { for: "f-from" }, "Published from"),
    from,
    h("label", { for: "f-to" }, "to"),
    to,
    h("button", { type: "submit" }, "Filter"),
  );
  fill(root, h("h2", null, "Audit"), form, results);
  const pageSize = 10;
  let cursors = [null];
  // the chart by law of the current filter: counted once per filter (paging keeps it) and drawn when
  // its answer comes, while the page is already shown; an answer for an earlier filter is dropped
  let lawChart = null;
  const countByLaw = async (filter) => {
    const chart = h("figure", { class: "chart", id: "audit-law-chart", "aria-busy": "true" }, h("figcaption", null, LAW_CHART.caption), h("p", { class: "chart-empty chart-pending" }, "Counting…"));
    lawChart = chart;
    let drawn;
    try {
      drawn = bars((await gql(AUDIT_BY_LAW, { filter })).audit.countsByLaw, LAW_CHART);
    } catch (error) {
      drawn = [h("figcaption", null, LAW_CHART.caption), h("p", { class: "chart-empty" }, `Not counted: ${error.message}`)];
    }
    if (chart === lawChart) {
      chart.removeAttribute("aria-busy");
      fill(chart, drawn);
    }
  };
  gql(LAWS).then(
    (data) => fill(lawIds, data.laws.map((l) => h("option", { value: l.id }, `${l.title} (${l.status.toLowerCase()})`))),
    () => {}, // the suggestions only: the filter takes any law id, and the server names a wrong one
  );

  const load = async (recount) => {
    const filter = {};
    if (code.value.trim()) filter.codes = code.value.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
    if (party.value.trim()) filter.partyId = party.value.trim();
    if (territory.value.trim()) filter.territory = territory.value.trim().toUpperCase();
    if (law.value.trim()) filter.laws = law.value.split(/[\s,]+/).filter(Boolean).map((l) => l.toUpperCase());
    if (jurisdiction.value.trim()) filter.jurisdictions = jurisdiction.value.split(/[\s,]+/).filter(Boolean).map((j) => j.toUpperCase());
    if (from.value) filter.from = `${from.value}T00:00:00Z`;
    if (to.value) filter.to = `${to.value}T00:00:00Z`;
    let data;
    loading(results, "Reading the audit…");
    try {
      data = await gql(AUDIT, { filter, first: pageSize, after: cursors[cursors.length - 1] });
    } catch (error) {
      failed(results, `The audit was refused: ${error.message}`);
      status(`The audit was refused: ${error.message}`, true);
      return;
    }
    done(results);
    if (recount) countByLaw(filter);
    const audit = data.audit;
    const page = cursors.length;
    const previous = h("button", { type: "button", id: "audit-previous", disabled: page === 1 }, "Previous page");
    const next = h("button", { type: "button", id: "audit-next", disabled: !audit.pageInfo.hasNextPage }, "Next page");
    previous.addEventListener("click", () => {
      cursors.pop();
      load();
    });
    next.addEventListener("click", () => {
      cursors.push(audit.pageInfo.endCursor);
      load();
    });
    fill(
      results,
      h("p", { id: "audit-total" }, `${audit.totalCount} verdict(s) hold now; page ${page}.`),
      barChart(audit.countsByCode, { id: "audit-chart", caption: "Verdicts by code", key: "code", attribute: "data-code", colour: verdictColour, none: null }),
      lawChart,
      h(
        "table",
        { id: "audit-table" },
        h("thead", null, h("tr", null, ["Code", "Subject", "Liable", "Since", "Explanation"].map((t) => h("th", { scope: "col" }, t)))),
        h(
          "tbody",
          null,
          audit.edges.map(({ node }) =>
            h(
              "tr",
              null,
              h("td", null, chip(node.code)),
              h("td", null, nodeLink(node.subjectId)),
              h("td", null, node.liable.map((l) => `${l.partyId} (${l.role.toLowerCase()})`).join(", ")),
              h("td", null, when(node.holdsFrom)),
              h("td", null, node.explanation),
            ),
          ),
        ),
      ),
      h("p", { class: "pager" }, previous, " ", next),
    );
    status(`Audit: ${audit.totalCount} verdict(s), page ${page}.`);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    cursors = [null];
    load(true);
  });
  await load(true);
}

/** What a traced file's Content Credentials are, in one word and a sentence (docs/credentials.md):
 * trusted, untrusted, invalid (with the failure codes), stripped (naming the asset whose manifest the
 * file lost) or none. */
export function credentialsState(found) {
  const credentials = found.contentCredentials;
  const signer = credentials && [credentials.signer, credentials.signerOrganization].filter(Boolean).join(", ");
  const by = signer ? ` Signed by ${signer}.` : "";
  let state;
  let words;
  if (found.credentialsStripped) {
    const lost = found.matches.find((m) => m.credentialsStripped && m.asset);
    state = "stripped";
    words = [
      "The matched asset ",
      lost ? nodeLink(lost.asset.id) : "—",
      " carried Content Credentials; this copy carries none: they were removed downstream.",
    ];
  } else if (!credentials || credentials.trust === "NONE") {
    state = "none";
    words = ["The file carries no Content Credentials."];
  } else if (credentials.trust === "TRUSTED") {
    state = "trusted";
    words = [`Valid, and signed under this server's trust anchors.${by}`];
  } else if (credentials.trust === "UNTRUSTED") {
    state = "untrusted";
    words = [`Valid, but the signer is under none of this server's trust anchors.${by}`];
  } else {
    state = "invalid";
    words = [
      "Tampered with or broken: ",
      h("span", { class: "failures" }, credentials.failures.flatMap((code, i) => [i ? ", " : null, h("code", null, code)])),
      ".",
    ];
  }
  return h(
    "p",
    { id: "trace-credentials", class: `credentials ${state}`, "data-state": state },
    "Content Credentials: ",
    h("strong", null, state),
    " — ",
    ...words,
  );
}

/** An investigator: an upload box that traces a file (drag and drop or pick) and shows its matches. */
export async function investigatorView(root, status) {
  // enabled once the box can trace (the schema read below)
  const input = h("input", { id: "trace-file", type: "file", accept: "image/*,video/*", disabled: true });
  const drop = h(
    "div",
    { id: "drop-zone", class: "drop-zone" },
    h("p", null, "Drop an image or video here to trace it, or "),
    h("label", { for: "trace-file" }, "choose a file"),
    input,
  );
  const results = h("div", { id: "trace-results", "aria-live": "polite" });
  fill(
    root,
    h("h2", null, "Trace a file"),
    h("p", { class: "muted" }, "Its hashes are matched against registered assets, captures and sightings; its faces against enrolled people."),
    drop,
    results,
  );
  let root_ = null;
  loading(results, "Checking that this server can trace files…");
  try {
    root_ = await rootOf("trace");
  } catch (error) {
    status(`Could not read the schema: ${error.message}`, true);
  }
  fill(done(results));
  if (!root_) {
    fill(
      results,
      h("p", { id: "trace-unavailable", class: "error" }, "This server does not offer the trace query yet: tracing a file is unavailable."),
    );
    return;
  }
  input.disabled = false;
  const trace = async (file) => {
    status(`Tracing ${file.name}…`);
    loading(results, `Tracing ${file.name}…`);
    let data;
    try {
      data = await traceFile(file, traceDocument(root_));
    } catch (error) {
      failed(results, `The trace was refused: ${error.message}`);
      status(`The trace was refused: ${error.message}`, true);
      return;
    }
    done(results);
    const found = data.trace;
    fill(
      results,
      h("p", null, "sha256 ", h("code", null, found.sha256 || "—"), ", phash ", h("code", null, found.phash || "—")),
      found.bestMatch && found.bestMatch.asset
        ? h("p", { id: "best-match" }, "Best match: ", nodeLink(found.bestMatch.asset.id), ` (${found.bestMatch.kind.toLowerCase()}, distance ${found.bestMatch.distance})`)
        : h("p", { id: "best-match" }, "No registered asset matches."),
      h(
        "ul",
        { id: "trace-matches" },
        found.matches.map((m) => {
          const target = m.asset || m.capture;
          return h(
            "li",
            { "data-match": target ? target.id : "" },
            target ? nodeLink(target.id) : "—",
            ` ${m.kind.toLowerCase()}, distance ${m.distance}${m.exact ? ", exact" : ""} `,
            m.asset ? caseFileButton(m.asset.id, status) : null,
          );
        }),
      ),
      credentialsState(found),
      tracedFaces(file, found),
    );
    status(`Traced ${file.name}: ${found.matches.length} hash match(es), ${(found.faces || []).length} face(s).`);
  };
  input.addEventListener("change", () => input.files[0] && trace(input.files[0]));
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const file = event.dataTransfer.files[0];
    if (file) trace(file);
  });
}

const NODE = `query Node($id: String!) {
  search(text: $id, first: 1) { matchedBy node {
    __typename
    ... on Person { id name jurisdiction recordedAt }
    ... on Organization { id name kind recordedAt }
    ... on Capture { id captureKind: kind sha256 phash capturedAt recordedAt persons { id } capturedBy { id } }
    ... on Twin { id version builtAt recordedAt person { id } vendor { id }
                  captures { nodes { id } } assets { nodes { id } } consents { nodes { id } } }
    ... on Consent { id purpose signedAt validFrom validUntil revokedAt revocationReason territories channels
                     mediaTypes prohibitedContent sublicensable takedownDays person { id } grantee { id }
                     twins { id } compensation { amount currency basis } }
    ... on Campaign { id name startsAt endsAt brand { id } assets { nodes { id } } }
    ... on Asset { id }
    ... on Sighting { id url observedAt fileSha256: sha256 filePhash: phash recordedAt
                      assets { nodes { id } } platform { id } ${FILE_FACE_MATCHES} }
    ... on Payment { id amount currency paidAt consent { id } }
  } }
}`;

function related(node) {
  const links = [];
  for (const value of Object.values(node)) {
    // a list that can grow is a connection: its first page's nodes
    const items = Array.isArray(value) ? value : value && Array.isArray(value.nodes) ? value.nodes : [value];
    for (const item of items) {
      if (item && typeof item === "object" && item.id) links.push(item.id);
    }
  }
  return [...new Set(links)];
}

/** Any node but an asset: its fields, links to the nodes it names, and for a sighting its case file. */
export async function nodeView(root, id, status) {
  const data = await readInto(root, `Reading ${id}…`, () => gql(NODE, { id }));
  const hit = data.search.find((found) => found.matchedBy === "ID");
  if (!hit) {
    fill(root, h("h2", null, id), h("p", { id: "not-found" }, "Nothing with this id is yours to see."));
    return null;
  }
  const { faceMatches, ...node } = hit.node;
  if (node.__typename === "Asset") {
    return "Asset";
  }
  const links = related(node);
  fill(
    root,
    h("h2", null, `${node.__typename} `, h("code", null, node.id)),
    node.__typename === "Sighting" ? h("p", null, caseFileButton(node.id, status)) : null,
    fields(node),
    faceMatches && faceMatches.length ? faceMatchList(faceMatches) : null,
    links.length ? h("h3", null, "Linked") : null,
    links.length ? h("ul", null, links.map((link) => h("li", null, nodeLink(link)))) : null,
  );
  if (node.__typename === "Person") {
    const usage = h("section", { id: "person-usage" });
    root.append(usage);
    try {
      await personView(usage, node.id, status);
    } catch (error) {
      failed(usage, error.message);
    }
  }
  return node.__typename;
}
