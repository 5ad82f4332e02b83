// Reelbot web page: the member's chat with the bot (messages as the server renders them, their buttons,
// inline clips), the composer (text, an image or video file, remix / blend modes) and the event stream.

import { api, el, markup, state, t, toast, video } from "./api.js";

const hooks = { changed: () => {}, job: () => {}, feed: () => {} };
export function onChat(h) { Object.assign(hooks, h); }

function buttonRow(message, row) {
  return el("div", { class: "buttons" }, row.map((b) => el("button", {
    type: "button", class: "act", text: b.label, dataset: { data: b.data, action: b.action },
    on: { click: () => press(b.data, message.id) },
  })));
}

function messageNode(m) {
  const r = m.reply;
  const node = el("article", {
    class: `msg ${m.role} ${r ? "kind-" + r.kind : ""}`, id: "m-" + m.id,
    dataset: { id: m.id, kind: r?.kind || "member", job: r?.job_id || "", price: r?.price ?? "",
               key: r?.key || "", progress: r?.progress ?? "" },
  });
  const body = el("div", { class: "text" }, markup(m.text));
  node.append(body);
  if (m.files?.length) node.append(el("p", { class: "files", text: "📎 " + m.files.join(", ") }));
  if (r && r.progress !== null && r.progress !== undefined && ["started", "progress"].includes(r.kind)) {
    const pct = Math.round(r.progress * 100);
    const bar = el("div", { class: "bar" }, el("span"));
    bar.firstChild.style.width = pct + "%";
    node.append(bar);
  }
  if (r?.clip) {
    node.append(el("div", { class: "clip-box" }, video(r.clip, { controls: true }),
      el("a", { href: r.clip.page, class: "clip-link", text: t("open") + " ↗" })));
    if (r.parent_job) {
      node.append(el("p", { class: "lineage" }, t("remix_of") + " ",
        el("a", { href: `/clip/${r.parent_job}`, text: r.parent_job })));
    }
  }
  for (const row of r?.buttons || []) node.append(buttonRow(m, row));
  return node;
}

export function showMessage(m, { replace = false } = {}) {
  const box = document.getElementById("messages");
  const old = document.getElementById("m-" + m.id);
  const node = messageNode(m);
  if (old) old.replaceWith(node);
  else if (!replace) box.append(node);
  else return;
  box.scrollTop = box.scrollHeight;
  if (m.reply) hooks.changed(m.reply);
}

function dropMessage(id) {
  document.getElementById("m-" + id)?.remove();
}

export async function loadChat() {
  const { messages } = await api.messages();
  document.getElementById("messages").replaceChildren();
  for (const m of messages) showMessage(m);
}

// -- remix / blend modes -------------------------------------------------------------------------

export function setMode(kind, jobId, prompt) {
  state.replyTo = kind === "remix" ? jobId : null;
  const mode = document.getElementById("mode");
  mode.hidden = !kind;
  document.getElementById("mode-text").textContent =
    kind ? `${t(kind === "remix" ? "remixing" : "blending")} ${prompt ? "“" + prompt + "”" : jobId}` : "";
  if (kind) document.getElementById("text").focus();
}

export async function blend(first, second) {
  try {
    const res = await api.post({ text: "/blend", reply_to_job: first, blend_with: second, lang: state.lang });
    after(res);
  } catch (e) { toast(e.message, true); }
}

// -- actions -------------------------------------------------------------------------------------

function after(res) {
  for (const m of res.messages || []) showMessage(m);
  if (res.reply) hooks.changed(res.reply);
}

export async function press(data, messageId) {
  try {
    const res = await api.press(data, messageId);
    for (const m of res.messages || []) showMessage(m);
    if (res.reply?.kind === "ask_prompt") {
      const card = document.querySelector(`.card[data-job="${res.reply.job_id}"]`);
      setMode("remix", res.reply.job_id, card?.dataset.prompt);
    }
    if (res.toast) toast(res.toast, res.alert);
    if (res.reply) hooks.changed(res.reply);
  } catch (e) { toast(e.message, true); }
}

async function send(ev) {
  ev.preventDefault();
  const text = document.getElementById("text");
  const file = document.getElementById("file");
  const words = text.value.trim();
  const chosen = file.files[0];
  if (!words && !chosen) return;
  let body;
  if (chosen) {
    body = new FormData();
    body.append("text", words);
    if (state.replyTo) body.append("reply_to_job", state.replyTo);
    body.append(chosen.type.startsWith("video/") ? "video" : "image", chosen, chosen.name);
  } else {
    body = { text: words };
    if (state.replyTo) body.reply_to_job = state.replyTo;
  }
  const button = document.getElementById("send");
  button.disabled = true;
  try {
    after(await api.post(body));
    text.value = "";
    file.value = "";
    document.getElementById("file-name").textContent = "";
    setMode(null);
  } catch (e) {
    toast(e.message, true);
  } finally {
    button.disabled = false;
  }
}

export function setupComposer() {
  document.getElementById("composer").addEventListener("submit", send);
  document.getElementById("text").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) send(ev);
  });
  document.getElementById("file").addEventListener("change", (ev) => {
    document.getElementById("file-name").textContent = ev.target.files[0]?.name || "";
  });
  document.getElementById("mode-off").addEventListener("click", () => setMode(null));
  const box = document.getElementById("commands");
  box.replaceChildren(...state.info.commands.slice(0, 9).map((c) => el("button", {
    type: "button", class: "chip", title: c.help, text: "/" + c.name,
    on: { click: () => { const tx = document.getElementById("text"); tx.value = "/" + c.name + " "; tx.focus(); } },
  })));
}

// -- the event stream ------------------------------------------------------------------------------

export function listen() {
  const source = new EventSource("/api/events");
  source.addEventListener("hello", () => { loadChat().catch(() => {}); });
  source.addEventListener("message", (ev) => showMessage(JSON.parse(ev.data)));
  source.addEventListener("edit", (ev) => showMessage(JSON.parse(ev.data), { replace: true }));
  source.addEventListener("delete", (ev) => dropMessage(JSON.parse(ev.data).id));
  source.addEventListener("job", (ev) => hooks.job(JSON.parse(ev.data)));
  source.addEventListener("feed", (ev) => hooks.feed(JSON.parse(ev.data)));
  return source;
}
