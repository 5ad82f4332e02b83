// Reelbot web page: start-up (who I am, the model, the commands), the balance panel and the job list with
// live progress and cancel; the chat and the feed are chat.js and feed.js.

import { api, el, state, t, toast, translatePage } from "./api.js";
import { listen, loadChat, onChat, setupComposer } from "./chat.js";
import { refresh, setupFeed, showClipPage } from "./feed.js";

const live = new Map(); // job id -> latest progress from the event stream

async function showBalance() {
  try {
    const b = await api.balance();
    const box = document.getElementById("balance");
    box.dataset.available = b.available;
    box.dataset.plan = b.plan;
    box.textContent = `💳 ${b.available} ${t("credits")} · ${b.plan}`;
    box.title = b.text;
  } catch (e) { toast(e.message, true); }
}

function jobNode(job) {
  const progress = job.state === "done" ? 1 : (live.get(job.job_id) ?? job.progress ?? 0);
  const pct = Math.round(progress * 100);
  const bar = el("div", { class: "bar" }, el("span"));
  bar.firstChild.style.width = pct + "%";
  const node = el("li", { class: `job state-${job.state}`, dataset: { job: job.job_id, state: job.state, progress: pct } },
    el("span", { class: "job-prompt", text: job.prompt || job.action }),
    el("span", { class: "job-state", text: `${t(job.state)} · ${pct}%` }), bar);
  if (job.state === "queued" || job.state === "running") {
    node.append(el("button", { type: "button", class: "act cancel", text: t("cancel"), on: { click: async () => {
      try { const res = await api.cancel(job.job_id); toast(res.text); } catch (e) { toast(e.message, true); }
      showJobs();
    } } }));
  }
  if (job.media) node.append(el("a", { href: job.media.page, class: "clip-link", text: t("open") + " ↗" }));
  return node;
}

let jobsTimer = null;
async function showJobs() {
  try {
    const { jobs } = await api.jobs();
    const list = document.getElementById("jobs");
    list.replaceChildren(...jobs.slice(0, 12).map(jobNode));
    if (!jobs.length) list.append(el("li", { class: "empty", text: t("no_jobs") }));
  } catch (e) { toast(e.message, true); }
}

function showJobsSoon() {
  clearTimeout(jobsTimer);
  jobsTimer = setTimeout(showJobs, 150);
}

function onJob(ev) {
  if (ev.progress !== null && ev.progress !== undefined) live.set(ev.job_id, ev.kind === "done" ? 1 : ev.progress);
  const node = document.querySelector(`.job[data-job="${ev.job_id}"]`);
  if (node && ev.progress !== null && ev.progress !== undefined) {
    const pct = Math.round((ev.kind === "done" ? 1 : ev.progress) * 100);
    node.dataset.progress = pct;
    node.querySelector(".bar span").style.width = pct + "%";
    node.querySelector(".job-state").textContent = `${t(ev.kind === "done" ? "done" : "running")} · ${pct}%`;
  }
  if (["done", "failed", "cancelled"].includes(ev.kind)) {
    showJobsSoon();
    showBalance();
  } else if (!node) {
    showJobsSoon();
  }
}

async function start() {
  state.lang = (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  translatePage();
  state.info = await api.info();
  state.me = state.info.me;
  document.getElementById("name").value = state.me.name;
  document.getElementById("name-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try { state.me = await api.rename(document.getElementById("name").value); toast("✓ " + state.me.display_name); }
    catch (e) { toast(e.message, true); }
  });
  if (state.info.tiny) {
    const note = document.getElementById("model-note");
    note.textContent = "⚠️ " + state.info.model_note;
    note.hidden = false;
  }
  onChat({
    changed: (reply) => {
      if (["queued", "cancelled", "done", "failed"].includes(reply.kind) || reply.balance_after !== null) {
        showBalance();
        showJobsSoon();
      }
    },
    job: onJob,
    feed: () => refresh(),
  });
  setupComposer();
  setupFeed();
  document.getElementById("balance").addEventListener("click", async () => {
    try {
      const [b, p] = await Promise.all([api.balance(), api.plans()]);
      toast(`${b.text}\n\n${p.text}`);
    } catch (e) { toast(e.message, true); }
  });
  const clip = location.pathname.match(/^\/clip\/([0-9a-f]{12})$/);
  if (clip) await showClipPage(clip[1]);
  await Promise.all([showBalance(), showJobs(), loadChat(), refresh()]);
  listen();
  document.body.dataset.ready = "1";
}

start().catch((e) => toast(e.message || String(e), true));
