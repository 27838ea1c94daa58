// Faces: the boxes of the faces a trace found, drawn over the picture the user chose (the browser has the
// file; the server keeps no picture), the list of those faces with the enrolled people they match, and a
// person's face matches on her landing. Only what the API answered to this key: a match the key may not
// see is simply absent (docs/faces.md, Who sees a match).

import { caseFileButton } from "./casefile.js";
import { fill, h, nodeLink, when } from "./dom.js";

function distance(value) {
  return Number(value).toFixed(3);
}

function boxText(box) {
  return `[${box.left}, ${box.top}, ${box.right}, ${box.bottom}]`;
}

function seconds(frameTime) {
  return frameTime ? ` ${Number(frameTime).toFixed(1)} s into the video` : "";
}

/** A match in words: the person (a link), the distance and threshold, the model, the nearest capture. */
function described(match) {
  return [
    nodeLink(match.person.id, match.person.name || match.person.id),
    ` at distance ${distance(match.distance)} (a match is at most ${match.threshold}; ${match.model})`,
    match.capture ? [", nearest enrolled capture ", nodeLink(match.capture.id)] : "",
  ];
}

/** What a face's label says: the nearest match's person and distance, or that none is shown. */
function label(face, index) {
  const nearest = face.matches[0];
  return nearest
    ? `${index + 1} · ${nearest.person.name || nearest.person.id} · ${distance(nearest.distance)}`
    : `${index + 1} · no enrolled match`;
}

// the object URL of the picture on show: one at a time, released when the next trace replaces it
let shown = null;

function release() {
  if (shown) {
    URL.revokeObjectURL(shown);
    shown = null;
  }
}

/** The picture the user chose with each face's box drawn in place, scaled with the displayed picture
 * (positions in percent of the upright picture, whose pixels the boxes are given in). */
function facePicture(file, faces) {
  release();
  shown = URL.createObjectURL(file);
  const picture = h("img", {
    src: shown,
    alt: `${file.name}, the traced picture, with ${faces.length} face(s) outlined`,
  });
  const frame = h("div", { class: "face-frame" }, picture);
  const figure = h(
    "figure",
    { id: "face-picture", class: "face-picture" },
    frame,
    h("figcaption", { class: "muted" }, "Each face found, numbered as in the list below."),
  );
  picture.addEventListener("load", () => {
    const width = picture.naturalWidth;
    const height = picture.naturalHeight;
    // the frame takes the picture's shown size (at most 720 × 540 CSS pixels, never enlarged) and the
    // picture fills it, so a box placed in percent of the frame lies on the picture
    frame.style.width = `min(100%, ${Math.min(width, 720, (540 * width) / height)}px)`;
    faces.forEach((face, index) => {
      const box = h(
        "div",
        {
          class: face.matches.length ? "face-box matched" : "face-box",
          "data-face": index + 1,
          "data-person": face.matches.length ? face.matches[0].person.id : null,
          "aria-hidden": "true", // the list below says the same in words
        },
        h("span", { class: "face-label" }, label(face, index)),
      );
      box.style.left = `${(100 * face.box.left) / width}%`;
      box.style.top = `${(100 * face.box.top) / height}%`;
      box.style.width = `${(100 * (face.box.right - face.box.left)) / width}%`;
      box.style.height = `${(100 * (face.box.bottom - face.box.top)) / height}%`;
      frame.append(box);
    });
    figure.dataset.drawn = String(faces.length);
  });
  picture.addEventListener("error", () => {
    fill(figure, h("p", { class: "muted" }, "This browser cannot show the picture: its faces are listed below."));
  });
  return figure;
}

/** How many faces were found, and each described face with the enrolled people it matches that this key may
 * see; `picture` (the boxes drawn) between the two. */
function faceList(trace, picture) {
  const faces = trace.faces || [];
  const found = trace.facesFound;
  let summary;
  if (found === null || found === undefined) {
    summary = "Faces were not searched.";
  } else if (!found) {
    summary = "No face was found in the file.";
  } else if (found > faces.length) {
    summary = `${found} faces were found; the first ${faces.length} are described.`;
  } else {
    summary = `${found} face(s) found.`;
  }
  return [
    h("h3", null, "Faces"),
    h("p", { id: "faces-found" }, summary),
    picture,
    faces.length
      ? h(
          "ol",
          { id: "trace-faces", class: "faces" },
          faces.map((face, index) =>
            h(
              "li",
              { "data-face": index + 1 },
              `Face ${index + 1}, box ${boxText(face.box)}${seconds(face.frameTime)}: `,
              face.matches.length
                ? h(
                    "ul",
                    null,
                    face.matches.map((match) =>
                      h("li", { "data-person": match.person.id }, described(match)),
                    ),
                  )
                : h("span", { class: "muted" }, "no enrolled match you may see."),
            ),
          ),
        )
      : null,
  ];
}

/** A sighting's or an asset's selection of the faces its file shows. */
export const FILE_FACE_MATCHES = `faceMatches { person { id name } distance threshold model frameTime
                                  box { left top right bottom } capture { id } }`;

/** The enrolled people whose faces a sighting's or an asset's file shows (as this key may see them). */
export function faceMatchList(matches) {
  return [
    h("h3", null, "Faces its file shows"),
    h(
      "ul",
      { id: "file-faces" },
      matches.map((match) =>
        h("li", { "data-person": match.person.id }, `Box ${boxText(match.box)}${seconds(match.frameTime)}: `, described(match)),
      ),
    ),
  ];
}

/** The trace's faces: the picture with its boxes (an image only: a video's faces are in its frames) and
 * the list. */
export function tracedFaces(file, trace) {
  const faces = trace.faces || [];
  const picture = faces.length && trace.mediaType === "IMAGE" ? facePicture(file, faces) : null;
  if (!picture) {
    release();
  }
  return h("section", { id: "trace-face-results" }, faceList(trace, picture));
}

/** The person's selection of her face matches (for her landing's query). */
export const PERSON_FACE_MATCHES = `faceMatches {
      sighting { id url observedAt } asset { id publishedAt channel }
      match { distance threshold model frameTime box { left top right bottom } capture { id } } }`;

/** A person's face matches: each sighting or asset whose file shows her face, most recent first, with links. */
export function faceMatchesTable(name, matches, status) {
  const heading = h("h2", null, `Where ${name}'s face was found`);
  if (!matches.length) {
    return [
      heading,
      h(
        "p",
        { id: "face-matches" },
        `No file recorded shows ${name}'s face (only the faces of people enrolled under a MATCHING consent are matched).`,
      ),
    ];
  }
  return [
    heading,
    h("p", { class: "muted" }, `${matches.length} sighting(s) or asset(s) whose file shows ${name}'s face, most recent first.`),
    h(
      "table",
      { id: "face-matches" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ["Found in", "Where", "When", "Distance", "Face box", "Nearest capture", "Case file"].map((t) =>
            h("th", { scope: "col" }, t),
          ),
        ),
      ),
      h(
        "tbody",
        null,
        matches.map(({ sighting, asset, match }) => {
          const subject = sighting || asset;
          return h(
            "tr",
            { "data-subject": subject.id },
            h("td", null, sighting ? "sighting " : "asset ", nodeLink(subject.id)),
            h("td", null, sighting ? sighting.url : asset.channel.toLowerCase()),
            h("td", null, when(sighting ? sighting.observedAt : asset.publishedAt)),
            h("td", null, `${distance(match.distance)} (≤ ${match.threshold}, ${match.model})`),
            h("td", null, `${boxText(match.box)}${seconds(match.frameTime)}`),
            h("td", null, match.capture ? nodeLink(match.capture.id) : "—"),
            h("td", null, caseFileButton(subject.id, status)),
          );
        }),
      ),
    ),
  ];
}
