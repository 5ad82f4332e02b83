// Reelbot web page: the JSON API calls, the page's own words (en / zh), and small DOM helpers.
// Every bot answer arrives rendered by the server (bot/messages.py); only the page chrome is here.

export const state = { lang: "en", me: null, info: null, replyTo: null, blendFrom: null };

const WORDS = {
  en: {
    name: "Your name", save: "Save", explore: "Explore", all: "All", mine: "Mine", top: "Top this week",
    every_platform: "Every platform", more: "Load more", chat: "Chat with the bot", attach: "Image / video",
    send: "Send", jobs: "Your jobs", remix_of: "remix of", loop_of: "loop of", recut_of: "recut of",
    blend_of: "blend of", animate_of: "animation of", create_of: "variation of", remixes: "Remixes",
    private_clip: "a private clip", by: "by", credits: "credits", blend: "🎞️ Blend", blend_here: "Blend with this",
    picking: "Pick the clip to blend with (or ✕ to stop).", remixing: "Remixing", blending: "Blending",
    cancel: "Cancel", open: "Open", empty_feed: "No clips yet. Ask the bot for one in the chat.",
    no_jobs: "No jobs yet.", share: "📣 Share", private: "private", placeholder: "a red fox running through snow 5s",
    clip_missing: "That clip is not available.", from: "from", queued: "queued", running: "rendering",
    done: "done", failed: "failed", cancelled: "cancelled", author_filter: "by {name} ✕",
  },
  zh: {
    name: "你的名字", save: "保存", explore: "发现", all: "全部", mine: "我的", top: "本周热门",
    every_platform: "所有平台", more: "加载更多", chat: "和机器人聊天", attach: "图片 / 视频",
    send: "发送", jobs: "我的任务", remix_of: "重绘自", loop_of: "循环自", recut_of: "剪辑自",
    blend_of: "融合自", animate_of: "动画自", create_of: "变体自", remixes: "衍生作品",
    private_clip: "一个私密视频", by: "作者", credits: "积分", blend: "🎞️ 融合", blend_here: "与此融合",
    picking: "选择要融合的另一个视频（✕ 取消）。", remixing: "正在重绘", blending: "正在融合",
    cancel: "取消", open: "打开", empty_feed: "还没有视频。在聊天里让机器人做一个吧。",
    no_jobs: "还没有任务。", share: "📣 分享", private: "私密", placeholder: "雪地里奔跑的红狐狸 5秒",
    clip_missing: "该视频不可用。", from: "来自", queued: "排队中", running: "渲染中",
    done: "完成", failed: "失败", cancelled: "已取消", author_filter: "作者 {name} ✕",
  },
};

export function t(key, params = {}) {
  const table = WORDS[state.lang] || WORDS.en;
  let s = table[key] ?? WORDS.en[key] ?? key;
  for (const [k, v] of Object.entries(params)) s = s.replace(`{${k}}`, v);
  return s;
}

export function translatePage() {
  document.documentElement.lang = state.lang === "zh" ? "zh" : "en";
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  document.getElementById("text").placeholder = t("placeholder");
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error;
  }
}

async function call(method, path, body) {
  const init = { method, headers: { "Accept-Language": state.lang === "zh" ? "zh-CN" : "en" } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const api = {
  info: () => call("GET", "/api/info"),
  rename: (name) => call("POST", "/api/me", { name }),
  messages: () => call("GET", "/api/messages"),
  post: (body) => call("POST", "/api/messages", body),
  press: (data, message) => call("POST", "/api/press", { data, message }),
  jobs: () => call("GET", "/api/jobs"),
  cancel: (id) => call("POST", `/api/jobs/${id}/cancel`),
  feed: (params) => call("GET", "/api/feed?" + new URLSearchParams(params)),
  clip: (id) => call("GET", `/api/clips/${id}`),
  react: (id, emoji) => call("POST", `/api/clips/${id}/reactions`, { emoji }),
  balance: () => call("GET", "/api/balance"),
  plans: () => call("GET", "/api/plans"),
};

// el("div", {class: "x", dataset: {job: id}}, child, "text") -> an element (text is never parsed as HTML)
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "on") for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else if (k === "text") node.textContent = v;
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

// The message table's light markup (`code`, *bold*, new lines) as DOM nodes.
export function markup(text) {
  const out = [];
  const lines = String(text || "").split("\n");
  lines.forEach((line, i) => {
    if (i) out.push(el("br"));
    for (const part of line.split(/(`[^`]+`|\*[^*\n]+\*)/)) {
      if (!part) continue;
      if (part.startsWith("`") && part.endsWith("`") && part.length > 1) out.push(el("code", { text: part.slice(1, -1) }));
      else if (part.startsWith("*") && part.endsWith("*") && part.length > 2) out.push(el("b", { text: part.slice(1, -1) }));
      else out.push(document.createTextNode(part));
    }
  });
  return out;
}

let toastTimer = null;
export function toast(text, alert = false) {
  const box = document.getElementById("toast");
  box.replaceChildren(...markup(text));
  box.classList.toggle("alert", alert);
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, alert ? 8000 : 4000);
}

export function video(media, { controls = false } = {}) {
  return el("video", {
    class: "clip", src: media.videos[0], poster: media.poster || undefined, muted: true, loop: true,
    autoplay: true, playsInline: true, preload: "auto", controls, width: media.width || undefined,
    height: media.height || undefined, dataset: { job: media.job_id },
  });
}
