// The inbox: the caller's alerts (what concerns it, as the API addresses them), an unread count in the
// header, the list at #/inbox newest first with a link to each subject, marking read, and live updates
// through the `alerts` subscription (api.subscribe). Every alert the list shows comes from the API.

import { gql, offers, subscribe } from "./api.js";
import { done, failed, fill, h, loading, nodeLink, when } from "./dom.js";

const FIELDS = "id seq type at subjectId subjectKind code deadline summary read";
const PAGE = 50;

// the count, and the newest alert it includes: a live alert at or below that seq is counted already
const UNREAD = `query Unread { alerts(first: 1) { unread items { seq } } }`;
const ALERTS = `query Alerts($first: Int!, $before: Int) {
  alerts(first: $first, before: $before) { unread items { ${FIELDS} } }
}`;
const MARK = `mutation MarkAlertsRead($ids: [ID!], $all: Boolean) { markAlertsRead(ids: $ids, all: $all) }`;
const LIVE = `subscription Alerts { alerts { ${FIELDS} } }`;

// each type of alert in words
const TYPES = {
  VERDICT_OPENED: "Verdict opened",
  VERDICT_CLOSED: "Verdict closed",
  CONSENT_REVOKED: "Consent revoked",
  CONSENT_EXPIRING: "Consent expiring",
  NOTICE_SENT: "Notice sent",
  NOTICE_ANSWERED: "Notice answered",
  NOTICE_OVERDUE: "Notice overdue",
  LIKENESS_MATCHED: "Likeness matched",
};

function typeName(type) {
  return TYPES[type] || type.replace(/_/g, " ").toLowerCase();
}

/** The header's link to the inbox with its unread badge, kept current while signed in. */
export class Inbox {
  constructor(link, badge, status) {
    this.link = link;
    this.badge = badge;
    this.status = status;
    this.unread = null;
    this.counted = 0; // the newest seq the count includes
    this.stop = null;
    this.list = null; // the open inbox view's list, to which live alerts are added
    this.seen = new Set();
  }

  /** Signed in: read the count and follow the subscription (a server without alerts shows no inbox). */
  async start() {
    try {
      if (!(await offers("query", "alerts"))) return;
    } catch (error) {
      this.status(`Could not read the schema: ${error.message}`, true);
      return;
    }
    this.link.hidden = false;
    this.show();
    if (await offers("subscription", "alerts")) {
      this.follow();
    } else {
      this.link.dataset.live = "unavailable";
    }
    await this.recount();
  }

  /** Signed out: forget everything and close the socket. */
  end() {
    if (this.stop) this.stop();
    this.stop = null;
    this.unread = null;
    this.counted = 0;
    this.list = null;
    this.seen.clear();
    this.link.hidden = true;
    this.show();
  }

  show() {
    const count = this.unread || 0;
    this.badge.textContent = this.unread === null ? "…" : String(count);
    this.badge.classList.toggle("none", count === 0);
    this.link.setAttribute(
      "aria-label",
      this.unread === null ? "Inbox, counting unread alerts" : `Inbox, ${count} unread alert${count === 1 ? "" : "s"}`,
    );
    this.link.dataset.unread = String(count);
  }

  async recount() {
    this.link.setAttribute("aria-busy", "true");
    try {
      const found = (await gql(UNREAD)).alerts;
      this.unread = found.unread;
      this.counted = Math.max(this.counted, found.items.length ? found.items[0].seq : 0);
    } catch (error) {
      this.status(`Could not count the unread alerts: ${error.message}`, true);
    } finally {
      this.link.removeAttribute("aria-busy");
      this.show();
    }
  }

  follow() {
    if (this.stop) this.stop();
    let dropped = false;
    this.link.dataset.live = "connecting";
    this.stop = subscribe(LIVE, {}, {
      onNext: (data) => this.arrived(data.alerts),
      onState: (state, detail) => {
        this.link.dataset.live = state;
        if (state === "open" && dropped) {
          // alerts written while the socket was down are not replayed: catch up from the record
          dropped = false;
          this.recount();
          if (this.list) this.list.reload();
        } else if (state === "retrying") {
          dropped = true;
        } else if (state === "refused" || state === "error") {
          this.status(`Live alerts stopped: ${detail.message}`, true);
        }
      },
    });
  }

  arrived(alert) {
    if (!alert || this.seen.has(alert.id)) return;
    this.seen.add(alert.id);
    if (!alert.read && this.unread !== null && alert.seq > this.counted) {
      this.unread += 1;
      this.counted = alert.seq;
      this.show();
    }
    if (this.list) this.list.add(alert);
    this.status(`New alert: ${alert.summary}`);
  }

  /** Marked read by the list: how many were newly marked. */
  marked(count) {
    if (this.unread !== null) {
      this.unread = Math.max(0, this.unread - count);
      this.show();
    }
  }

  /** The #/inbox view into `root`. */
  async view(root) {
    const items = h("ol", { id: "alerts", class: "alerts" });
    const summary = h("p", { id: "inbox-summary" });
    const markAll = h("button", { type: "button", id: "mark-all-read" }, "Mark all as read");
    const older = h("button", { type: "button", id: "older-alerts", hidden: true }, "Older alerts");
    fill(
      root,
      h("h2", { id: "inbox-title", tabindex: -1 }, "Inbox"),
      h("p", { class: "muted" }, "What concerns you, newest first: verdicts, consents, notices. New alerts appear as they are written."),
      h("p", { class: "inbox-actions" }, summary, " ", markAll),
      items,
      older,
    );
    const shown = new Map(); // alert id → {seq, item}
    let oldest = null;
    let ready = false;
    // newest first, whatever order they came in (a page, a live alert, an older page)
    // (each new item is inserted in its place; those shown stay put, so a focused button keeps focus)
    const render = () => {
      if (!ready) return;
      let cursor = items.firstChild;
      for (const entry of [...shown.values()].sort((a, b) => b.seq - a.seq)) {
        if (entry.item === cursor) {
          cursor = cursor.nextSibling;
        } else {
          items.insertBefore(entry.item, cursor);
        }
      }
      count();
    };
    const keep = (alert) => {
      this.seen.add(alert.id);
      if (!shown.has(alert.id)) shown.set(alert.id, { seq: alert.seq, item: row(alert) });
    };

    const row = (alert) => {
      const mark = alert.read
        ? null
        : h("button", { type: "button", class: "mark-read", "data-alert": alert.id }, "Mark as read");
      const item = h(
        "li",
        { "data-alert": alert.id, "data-type": alert.type, class: alert.read ? "alert" : "alert unread" },
        h("span", { class: "alert-type" }, typeName(alert.type)),
        " ",
        h("time", { datetime: alert.at }, when(alert.at)),
        alert.read ? null : h("span", { class: "unread-mark" }, " (unread)"),
        h("p", { class: "alert-summary" }, alert.summary),
        h(
          "p",
          { class: "alert-subject muted" },
          `${alert.subjectKind.toLowerCase()} `,
          nodeLink(alert.subjectId),
          alert.code ? ` · ${alert.code}` : "",
          alert.deadline ? ` · deadline ${when(alert.deadline)}` : "",
        ),
        mark,
      );
      if (mark) {
        mark.addEventListener("click", async () => {
          mark.disabled = true;
          mark.setAttribute("aria-busy", "true");
          try {
            const count = (await gql(MARK, { ids: [alert.id] })).markAlertsRead;
            this.marked(count);
            read(alert.id);
            item.querySelector(".alert-subject a").focus(); // the button is gone: keep the place
            this.status(`Marked as read: ${alert.summary}`);
          } catch (error) {
            mark.disabled = false;
            this.status(`Could not mark it as read: ${error.message}`, true);
          } finally {
            mark.removeAttribute("aria-busy");
          }
        });
      }
      return item;
    };

    const read = (id) => {
      const entry = shown.get(id);
      if (!entry) return;
      const item = entry.item;
      item.classList.remove("unread");
      for (const gone of item.querySelectorAll(".unread-mark, .mark-read")) gone.remove();
    };

    const count = () => {
      const unread = this.unread || 0;
      summary.textContent = shown.size
        ? `${shown.size} alert(s) shown, ${unread} unread.`
        : "No alerts yet.";
      markAll.disabled = unread === 0;
    };

    const page = async (before) => {
      const data = (await gql(ALERTS, { first: PAGE, before })).alerts;
      this.unread = data.unread;
      if (before === null && data.items.length) this.counted = Math.max(this.counted, data.items[0].seq);
      this.show();
      data.items.forEach(keep);
      if (data.items.length) oldest = data.items[data.items.length - 1].seq;
      older.hidden = data.items.length < PAGE;
      render();
    };

    markAll.addEventListener("click", async () => {
      markAll.setAttribute("aria-busy", "true");
      markAll.disabled = true;
      try {
        const marked = (await gql(MARK, { all: true })).markAlertsRead;
        this.marked(marked);
        for (const id of shown.keys()) read(id);
        this.status(`Marked ${marked} alert(s) as read.`);
      } catch (error) {
        this.status(`Could not mark the alerts as read: ${error.message}`, true);
      } finally {
        markAll.removeAttribute("aria-busy");
        count();
      }
    });
    older.addEventListener("click", async () => {
      older.setAttribute("aria-busy", "true");
      try {
        await page(oldest);
      } catch (error) {
        this.status(`Could not read older alerts: ${error.message}`, true);
      } finally {
        older.removeAttribute("aria-busy");
      }
    });

    this.list = {
      add: (alert) => {
        keep(alert);
        render();
      },
      reload: () => page(null).catch((error) => this.status(`Could not read the alerts: ${error.message}`, true)),
    };

    loading(items, "Reading your alerts…");
    try {
      await page(null);
    } catch (error) {
      failed(items, `Could not read the alerts: ${error.message}`);
      throw error;
    }
    fill(done(items));
    ready = true;
    render();
  }

  /** Leaving the inbox view: live alerts only move the count. */
  left() {
    this.list = null;
  }
}
