// Reelbot web page: the Explore feed (every channel's clips, newest first / mine / top this week), a
// clip's own page at /clip/<id>, and the buttons on a clip, which do what reactions do in chat.

import { api, el, state, t, toast, video } from "./api.js";
import { blend, press, setMode } from "./chat.js";

const view = { filter: "all", platform: "", author: null, cursor: null };

function lineageWord(action) {
  return t(`${action}_of`) === `${action}_of` ? t("remix_of") : t(`${action}_of`);
}

function refLink(ref) {
  if (!ref.visible) return el("span", { class: "private", text: t("private_clip") });
  return el("a", { href: ref.page, class: "ref", dataset: { job: ref.job_id },
                   text: `“${ref.prompt || ref.job_id}” — ${ref.author}` });
}

function settingsLine(item) {
  const s = item.settings || {};
  const parts = [`${s.seconds} s`, s.resolution, s.aspect];
  if (s.variations > 1) parts.push(`×${s.variations}`);
  if (s.mode === "relaxed") parts.push("relaxed");
  if (s.seed !== null && s.seed !== undefined) parts.push(`seed ${s.seed}`);
  return parts.filter(Boolean).join(" · ");
}

function reactionRow(item) {
  const row = el("div", { class: "reactions" });
  for (const emoji of state.info.reactions) {
    const n = item.reactions[emoji] || 0;
    row.append(el("button", {
      type: "button", class: "react", dataset: { emoji }, text: n ? `${emoji} ${n}` : emoji,
      on: { click: async (ev) => {
        try {
          const res = await api.react(item.job_id, emoji);
          const count = res.reactions[emoji] || 0;
          ev.target.textContent = count ? `${emoji} ${count}` : emoji;
        } catch (e) { toast(e.message, true); }
      } },
    }));
  }
  for (const [emoji, n] of Object.entries(item.reactions)) {
    if (!state.info.reactions.includes(emoji)) row.append(el("span", { class: "react", text: `${emoji} ${n}` }));
  }
  return row;
}

function actionButtons(item) {
  const job = item.job_id;
  const act = (action, label, fn) => el("button", { type: "button", class: "act", dataset: { action }, text: label,
                                                    on: { click: fn } });
  const row = el("div", { class: "buttons" },
    act("remix", "🔀 Remix", () => press(`j:remix:${job}`)),
    act("loop", "🔁 Loop", () => press(`j:loop:${job}`)),
    act("extend", "➕ Extend", () => press(`j:extend:${job}`)),
    act("variation", "🎲 Variation", () => press(`j:var:${job}`)),
    act("blend", t("blend"), () => pickBlend(item)),
    act("report", "🚩", () => press(`j:report:${job}`)));
  if (item.mine && !item.public) row.append(act("share", t("share"), async () => { await press(`j:share:${job}`); refresh(); }));
  if (state.blendFrom && state.blendFrom !== job) {
    row.prepend(act("blend-here", t("blend_here"), () => { const first = state.blendFrom; stopPicking(); blend(first, job); }));
  }
  return row;
}

export function card(item, { big = false } = {}) {
  const node = el("article", { class: `card${big ? " big" : ""}`, dataset: { job: item.job_id, prompt: item.prompt } });
  node.append(video(item.media, { controls: big }));
  const author = el("button", { type: "button", class: "author", text: item.author, title: item.author_id,
                                on: { click: () => { view.author = item.author_id; showAuthor(item.author); refresh(); } } });
  node.append(el("div", { class: "meta" },
    el("a", { href: item.media.page, class: "prompt", text: item.prompt || "—" }),
    el("p", { class: "by" }, t("by") + " ", author, ` · ${t("from")} `, el("span", { class: "platform", text: item.platform }),
      ` · ${item.credits} ${t("credits")}`, item.public ? "" : ` · ${t("private")}`),
    el("p", { class: "settings", text: settingsLine(item) })));
  if (item.parent) {
    node.append(el("p", { class: "lineage parent" }, "↳ " + lineageWord(item.action) + " ", refLink(item.parent)));
  }
  if (item.remix_count) {
    node.append(el("div", { class: "lineage remixes" }, el("span", { text: `${t("remixes")} (${item.remix_count}): ` }),
      ...item.remixes.map((r) => el("span", {}, refLink(r), " "))));
  }
  node.append(reactionRow(item), actionButtons(item));
  return node;
}

function pickBlend(item) {
  state.blendFrom = item.job_id;
  setMode("blend", item.job_id, item.prompt);
  const note = document.getElementById("picking");
  note.hidden = false;
  note.textContent = t("picking");
  rerender();
}

export function stopPicking() {
  state.blendFrom = null;
  document.getElementById("picking").hidden = true;
  setMode(null);
  rerender();
}

let items = [];

function rerender() {
  const feed = document.getElementById("feed");
  feed.replaceChildren(...items.map((i) => card(i)));
  if (!items.length) feed.append(el("p", { class: "empty", text: t("empty_feed") }));
  const page = document.getElementById("clip-page");
  const id = page.dataset.job;
  if (id && page.firstChild && page.item) page.replaceChildren(card(page.item, { big: true }));
}

function showAuthor(name) {
  const chip = document.getElementById("author-filter");
  chip.hidden = !view.author;
  chip.textContent = view.author ? t("author_filter", { name }) : "";
}

export async function refresh({ more = false } = {}) {
  const params = { filter: view.filter, limit: 30 };
  if (view.platform) params.platform = view.platform;
  if (view.author) params.author = view.author;
  if (more && view.cursor) params.cursor = view.cursor;
  try {
    const page = await api.feed(params);
    items = more ? items.concat(page.items) : page.items;
    view.cursor = page.next_cursor;
    document.getElementById("more").hidden = !page.next_cursor;
    rerender();
  } catch (e) { toast(e.message, true); }
}

export async function showClipPage(id) {
  const page = document.getElementById("clip-page");
  page.dataset.job = id;
  try {
    page.item = await api.clip(id);
    page.replaceChildren(card(page.item, { big: true }));
    document.title = `Reelbot — ${page.item.prompt}`;
  } catch {
    page.replaceChildren(el("p", { class: "empty", text: t("clip_missing") }));
  }
}

export function setupFeed() {
  for (const tab of document.querySelectorAll(".tabs button")) {
    tab.addEventListener("click", () => {
      view.filter = tab.dataset.filter;
      for (const other of document.querySelectorAll(".tabs button")) other.classList.toggle("on", other === tab);
      refresh();
    });
  }
  document.getElementById("platform").addEventListener("change", (ev) => { view.platform = ev.target.value; refresh(); });
  document.getElementById("author-filter").addEventListener("click", () => { view.author = null; showAuthor(""); refresh(); });
  document.getElementById("more").addEventListener("click", () => refresh({ more: true }));
  document.getElementById("mode-off").addEventListener("click", () => { if (state.blendFrom) stopPicking(); });
}
