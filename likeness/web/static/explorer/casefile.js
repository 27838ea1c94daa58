// The case file of an asset or sighting (GET /cases/{id}.html, bearer-authorized): fetched with the
// signed-in key and opened as a blob, since a plain link cannot carry the Authorization header.

import { caseFile, keptFile } from "./api.js";
import { h } from "./dom.js";

/** The Blob `read` answers, the button busy meanwhile; null (said in the status line) when refused. */
async function fetched(button, read, status, refused) {
  button.setAttribute("aria-busy", "true");
  button.classList.add("busy");
  try {
    return await read();
  } catch (error) {
    status(refused(error), true);
    return null;
  } finally {
    button.removeAttribute("aria-busy");
    button.classList.remove("busy");
  }
}

export function caseFileButton(id, status) {
  const button = h("button", { type: "button", class: "case-file", "data-case": id }, "Case file");
  button.addEventListener("click", async () => {
    status(`Fetching the case file of ${id}…`);
    const blob = await fetched(button, () => caseFile(id), status, (error) =>
      error.status === 404
        ? `No case file for ${id}: the server answered 404 (it may not offer case files, or has none ` +
          "for this item)."
        : `Could not fetch the case file of ${id}: ${error.message}`,
    );
    if (!blob) {
      return;
    }
    const url = URL.createObjectURL(blob);
    const opened = window.open(url, "_blank");
    if (!opened) {
      // a blocked pop-up: offer the blob as a link in the status line instead
      status(`The case file of ${id} is ready.`);
      document.getElementById("status").append(" ", h("a", { href: url, target: "_blank", rel: "noopener" }, "Open it"));
    } else {
      status(`Opened the case file of ${id}.`);
    }
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  return button;
}

const EXTENSIONS = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "video/mp4": "mp4" };

/** A button saving the file Likeness signed for an asset (Asset.signedFile: fetched with the key). */
export function signedFileButton(id, signedFile, status) {
  const button = h("button", { type: "button", class: "signed-file", "data-signed": id }, "Signed file");
  button.addEventListener("click", async () => {
    status(`Fetching the signed file of ${id}…`);
    const blob = await fetched(button, () => keptFile(signedFile.url), status, (error) =>
      error.status === 404
        ? `This server keeps no signed file of ${id} (it was signed where the record was made).`
        : `Could not fetch the signed file of ${id}: ${error.message}`,
    );
    if (!blob) {
      return;
    }
    const url = URL.createObjectURL(blob);
    const save = h("a", { href: url, download: `${id}.${EXTENSIONS[signedFile.mimeType] || "mov"}` });
    document.body.append(save);
    save.click();
    save.remove();
    status(`Saved the signed file of ${id} (sha256 ${signedFile.sha256}).`);
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  return button;
}
