/* 政策问答 chat widget. Embed with:
 *   <script src="https://HOST/widget.js" data-key="pk_…" data-title="政策问答" async></script>
 * Everything lives in an open shadow root. Answer and passage text is only ever inserted with
 * textContent / text nodes, never parsed as HTML. */
(function () {
  "use strict";
  if (window.PolicyQAWidget) return; // embedded twice: keep the first

  var script = document.currentScript || findScript();
  if (!script) return;
  var BASE = new URL(script.src, location.href).origin;
  var KEY = script.getAttribute("data-key") || "";
  var TITLE = script.getAttribute("data-title") || "政策问答";
  var SUGGESTIONS = (script.getAttribute("data-suggestions") ||
    "__SUGGESTIONS__")
    .split("|").map(function (s) { return s.trim(); }).filter(Boolean);
  var STORE = "policyqa:" + BASE + ":" + KEY;
  var MAX_HISTORY = 12;
  var MAX_CHARS = 2000;
  var MSG = {
    auth: "此网站未获授权使用问答服务（密钥或来源不匹配）。",
    rate: "请求过于频繁，请稍后再试",
    network: "无法连接问答服务，请检查网络后重试。",
    server: "问答服务暂时不可用，请稍后重试。",
    cut: "回答中断，请重试。"
  };

  function findScript() {
    var all = document.querySelectorAll("script[src]");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/widget\.js(\?|#|$)/.test(all[i].src) || all[i].hasAttribute("data-key")) return all[i];
    }
    return null;
  }

  /* ---------- tiny DOM helpers (text only) ---------- */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function svg(paths, size, cls) {
    var NS = "http://www.w3.org/2000/svg";
    var s = document.createElementNS(NS, "svg");
    if (cls) s.setAttribute("class", cls);
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("width", size);
    s.setAttribute("height", size);
    s.setAttribute("aria-hidden", "true");
    paths.forEach(function (d) {
      var p = document.createElementNS(NS, "path");
      p.setAttribute("d", d);
      s.appendChild(p);
    });
    return s;
  }
  var ICON_CHAT = ["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"];
  var ICON_CLOSE = ["M6 6l12 12M18 6L6 18"];
  var ICON_NEW = ["M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4"];
  var ICON_SEND = ["M3 11l18-8-8 18-2-8-8-2z"];

  /* ---------- styles ---------- */
  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box}",
    ".root{font:14px/1.6 'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Noto Sans SC',system-ui,sans-serif;color:#1f2329;-webkit-font-smoothing:antialiased}",
    "button{font:inherit;color:inherit;cursor:pointer}",
    "button:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}",
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483646;width:56px;height:56px;border:0;border-radius:50%;background:#b4232a;color:#fff;box-shadow:0 6px 20px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;transition:transform .15s}",
    ".launcher:hover{transform:scale(1.06)}",
    ".launcher .ic-close,.launcher.open .ic-chat{display:none}.launcher.open .ic-close{display:block}",
    ".launcher svg{fill:none;stroke:currentColor;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}",
    ".panel{position:fixed;right:20px;bottom:88px;z-index:2147483647;width:390px;height:min(620px,calc(100vh - 110px));background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.22);display:flex;flex-direction:column;overflow:hidden;border:1px solid #e5e6eb}",
    ".panel[hidden]{display:none}",
    "header{display:flex;align-items:center;gap:6px;padding:12px 12px 12px 16px;background:#b4232a;color:#fff}",
    "h2{flex:1;margin:0;font-size:16px;font-weight:600}",
    ".icon{background:transparent;border:0;border-radius:6px;width:32px;height:32px;display:flex;align-items:center;justify-content:center;color:#fff}",
    ".icon:hover{background:rgba(255,255,255,.18)}",
    ".icon svg{fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}",
    ".log{flex:1;overflow-y:auto;padding:14px;background:#f6f7f9;display:flex;flex-direction:column;gap:10px}",
    ".msg{max-width:88%;padding:9px 12px;border-radius:12px;white-space:pre-wrap;word-break:break-word}",
    ".user{align-self:flex-end;background:#b4232a;color:#fff;border-bottom-right-radius:4px}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid #e5e6eb;border-bottom-left-radius:4px}",
    ".bot.abstained .text{color:#646a73}",
    ".hello{color:#4e5969}",
    ".error{align-self:stretch;max-width:none;background:#fff4f4;border:1px solid #f3c5c5;color:#a1181f}",
    ".retry{margin-left:8px;border:1px solid #a1181f;background:#fff;color:#a1181f;border-radius:12px;padding:0 10px;font-size:12px}",
    ".cite{display:inline-block;min-width:18px;height:18px;margin:0 1px;padding:0 4px;border:0;border-radius:9px;background:#e8edfb;color:#1d4ed8;font-size:11px;line-height:18px;vertical-align:super;text-align:center}",
    ".cite[aria-expanded=true]{background:#1d4ed8;color:#fff}",
    ".sources{display:flex;flex-direction:column;gap:6px;margin-top:6px;white-space:normal}",
    ".srclist{margin-top:8px;white-space:normal;font-size:12px;color:#646a73}",
    ".srclist:not(:empty){border-top:1px dashed #e5e6eb;padding-top:6px}",
    ".srcrow{display:flex;flex-wrap:wrap;align-items:center;gap:4px;margin-top:2px}",
    ".srct{margin-right:2px}.srct::before{content:'来源：'}",
    ".srcbtn{border:1px solid #d7dcea;background:#f7f8fc;color:#1d4ed8;border-radius:10px;padding:0 7px;font-size:12px;line-height:18px}",
    ".srcbtn[aria-expanded=true]{border-color:#1d4ed8;color:#1d4ed8}",
    ".card{border-left:3px solid #1d4ed8;background:#f4f6fc;border-radius:6px;padding:8px 10px;font-size:13px}",
    ".card .t{font-weight:600}",
    ".card .m,.card .s{color:#646a73;font-size:12px}",
    ".card .x{margin-top:4px;max-height:180px;overflow-y:auto;white-space:pre-wrap}",
    ".card mark{background:#fff1b8;color:inherit}",
    ".fb{margin-top:6px;white-space:normal;font-size:12px;color:#646a73}",
    ".fb button,.fb input{margin:2px 6px 0 0;padding:0 8px;border:1px solid #d0d3d9;border-radius:10px;background:#fff;font:inherit}",
    ".typing{display:inline-flex;gap:4px;padding:4px 0}",
    ".typing i{width:6px;height:6px;border-radius:50%;background:#a9aeb8;animation:b 1s infinite}",
    ".typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}",
    "@keyframes b{0%,80%,100%{opacity:.3}40%{opacity:1}}",
    "@media (prefers-reduced-motion:reduce){.typing i{animation:none}.launcher{transition:none}}",
    ".chips{display:flex;flex-wrap:wrap;gap:6px;padding:8px 12px 0;background:#fff}",
    ".chips[hidden]{display:none}",
    ".chip{border:1px solid #e5e6eb;background:#fff;border-radius:14px;padding:3px 10px;font-size:12.5px;color:#1d4ed8;text-align:left}",
    ".chip:hover{background:#f0f4ff}",
    "form{display:flex;gap:8px;align-items:flex-end;padding:10px 12px;background:#fff;border-top:1px solid #eef0f3}",
    "textarea{flex:1;resize:none;min-height:40px;max-height:120px;padding:9px 10px;border:1px solid #d0d3d9;border-radius:10px;font:inherit;color:inherit;background:#fff}",
    "textarea:focus{outline:none;border-color:#b4232a;box-shadow:0 0 0 3px rgba(180,35,42,.15)}",
    ".send{width:40px;height:40px;border:0;border-radius:10px;background:#b4232a;color:#fff;display:flex;align-items:center;justify-content:center}",
    ".send:disabled{background:#d9a3a6;cursor:default}",
    ".send svg{fill:none;stroke:currentColor;stroke-width:2;stroke-linejoin:round}",
    ".foot{padding:0 12px 8px;background:#fff;font-size:11px;color:#8a9099;text-align:center}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    "@media (max-width:480px){.panel{inset:0;width:100%;height:100%;max-height:none;border-radius:0;border:0}.launcher.open{display:none}.msg{max-width:94%}}"
  ].join("\n");

  /* ---------- state ---------- */
  var messages = loadMessages(); // [{role, content, citations?, abstained?}]
  var busy = false;
  var controller = null;

  function loadMessages() {
    try {
      var raw = sessionStorage.getItem(STORE);
      var list = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return []; // storage blocked (privacy mode, sandboxed frame): keep the chat in memory only
    }
  }
  function saveMessages() {
    try { sessionStorage.setItem(STORE, JSON.stringify(messages.slice(-40))); } catch (e) { /* ignore */ }
  }

  /* ---------- build the UI ---------- */
  var host = document.createElement("policyqa-widget");
  host.style.cssText = "all:initial;position:static";
  var root = host.attachShadow({ mode: "open" });
  var style = el("style", { text: CSS });
  var launcher = el("button", {
    class: "launcher", type: "button", "aria-label": "打开" + TITLE, "aria-expanded": "false",
    "aria-controls": "pqa-panel", "aria-haspopup": "dialog"
  }, [svg(ICON_CHAT, 26, "ic-chat"), svg(ICON_CLOSE, 24, "ic-close")]);
  var title = el("h2", { id: "pqa-title", text: TITLE });
  var newBtn = el("button", { class: "icon", type: "button", "aria-label": "新对话", title: "新对话" }, [svg(ICON_NEW, 18)]);
  var closeBtn = el("button", { class: "icon", type: "button", "aria-label": "关闭", title: "关闭" }, [svg(ICON_CLOSE, 18)]);
  var log = el("div", { class: "log", role: "log", "aria-live": "off", "aria-label": "对话记录" });
  var status = el("div", { class: "sr", role: "status", "aria-live": "polite" });
  var chips = el("div", { class: "chips", "aria-label": "推荐问题" });
  var input = el("textarea", {
    rows: "1", maxlength: String(MAX_CHARS), placeholder: "请输入您的问题…", "aria-label": "输入问题"
  });
  var sendBtn = el("button", { class: "send", type: "submit", "aria-label": "发送" }, [svg(ICON_SEND, 18)]);
  var form = el("form", {}, [input, sendBtn]);
  var panel = el("div", {
    class: "panel", id: "pqa-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "pqa-title", hidden: ""
  }, [
    el("header", {}, [title, newBtn, closeBtn]), log, chips, form,
    el("div", { class: "foot", text: "回答仅依据已收录的政策文件，并标注出处" }), status
  ]);
  root.appendChild(style);
  root.appendChild(el("div", { class: "root" }, [launcher, panel]));

  SUGGESTIONS.forEach(function (q) {
    var chip = el("button", { class: "chip", type: "button", text: q });
    chip.addEventListener("click", function () { ask(q); });
    chips.appendChild(chip);
  });

  /* ---------- open / close ---------- */
  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "关闭" + TITLE);
    launcher.classList.add("open");
    log.scrollTop = log.scrollHeight;
    input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "打开" + TITLE);
    launcher.classList.remove("open");
    launcher.focus();
  }
  launcher.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
  closeBtn.addEventListener("click", close);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.stopPropagation(); close(); }
  });
  newBtn.addEventListener("click", function () {
    if (controller) controller.abort();
    messages = [];
    saveMessages();
    renderAll();
    input.focus();
  });
  input.addEventListener("keydown", function (e) {
    // Enter sends; Shift+Enter is a newline; never send while an IME is composing Chinese text.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", function () {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 120) + "px";
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });

  function submit() {
    var q = input.value.trim();
    if (q && !busy) { input.value = ""; input.style.height = ""; ask(q); }
  }

  /* ---------- rendering ---------- */
  function renderAll() {
    while (log.firstChild) log.removeChild(log.firstChild);
    log.appendChild(el("div", { class: "msg bot hello", text: "您好！我可以回答已收录政策文件中的问题，并给出原文出处。" }));
    messages.forEach(function (m, i) {
      if (m.role === "user") log.appendChild(userBubble(m.content));
      else { var b = botBubble(); fillAnswer(b, m.content, m.citations || [], !!m.abstained); if (i) b.node.appendChild(feedbackRow(i)); log.appendChild(b.node); }
    });
    chips.hidden = messages.length > 0;
    log.scrollTop = log.scrollHeight;
  }
  function userBubble(text) { return el("div", { class: "msg user", text: text }); }
  function botBubble() {
    var text = el("div", { class: "text" });
    var srclist = el("div", { class: "srclist" });
    var sources = el("div", { class: "sources" });
    return { node: el("div", { class: "msg bot" }, [text, srclist, sources]), text: text, srclist: srclist, sources: sources };
  }
  function typing() {
    return el("span", { class: "typing", "aria-label": "正在回答" }, [el("i"), el("i"), el("i")]);
  }

  // Splits "…任务[1]。" into text nodes and citation buttons; unknown markers stay plain text.
  function fillAnswer(b, answer, citations, abstained) {
    var byN = {};
    citations.forEach(function (c) { byN[c.n] = c; });
    var toggles = {};
    clear(b.text); clear(b.srclist); clear(b.sources);
    b.node.classList.toggle("abstained", abstained);
    var re = /\[(\d{1,2})\]/g, last = 0, m;
    while ((m = re.exec(answer)) !== null) {
      b.text.appendChild(document.createTextNode(answer.slice(last, m.index)));
      var c = byN[m[1]];
      if (c) b.text.appendChild(citeButton(b, c, toggles, "cite", String(c.n)));
      else b.text.appendChild(document.createTextNode(m[0]));
      last = re.lastIndex;
    }
    b.text.appendChild(document.createTextNode(answer.slice(last)));
    var used = citations.filter(function (c) { return answer.indexOf("[" + c.n + "]") >= 0; });
    // One line per cited document: its title, then a button per cited passage.
    var docs = [];
    used.forEach(function (c) {
      var row = docs.filter(function (d) { return d.id === c.doc_id; })[0];
      if (!row) {
        row = { id: c.doc_id, node: el("div", { class: "srcrow" }, [el("span", { class: "srct", text: c.title || c.doc_id })]) };
        docs.push(row);
        b.srclist.appendChild(row.node);
      }
      row.node.appendChild(citeButton(b, c, toggles, "srcbtn", "[" + c.n + "]"));
    });
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // All buttons for one citation share one card and one expanded state.
  function citeButton(b, c, toggles, cls, label) {
    var btn = el("button", {
      class: cls, type: "button", text: label, "aria-expanded": "false",
      "aria-label": "出处 " + c.n + "：" + (c.title || c.doc_id)
    });
    var t = toggles[c.n] || (toggles[c.n] = { card: null, buttons: [] });
    t.buttons.push(btn);
    btn.addEventListener("click", function () {
      if (t.card) { t.card.remove(); t.card = null; }
      else { t.card = sourceCard(c); b.sources.appendChild(t.card); t.card.scrollIntoView({ block: "nearest" }); }
      t.buttons.forEach(function (x) { x.setAttribute("aria-expanded", t.card ? "true" : "false"); });
    });
    return btn;
  }
  function sourceCard(c) {
    var meta = [c.doc_number, c.date, c.ocr ? "OCR 识别，请核对原件" : ""].filter(Boolean).join(" · ");
    return el("div", { class: "card", role: "note", "aria-label": "出处 " + c.n }, [
      el("div", { class: "t", text: "[" + c.n + "] " + (c.title || c.doc_id) }),
      meta ? el("div", { class: "m", text: meta }) : null,
      c.section ? el("div", { class: "s", text: c.section }) : null,
      excerpt(c.text || "", c.quote || ""),
      // source view (key vs Referer)
      el("a", {
        class: "open", target: "_blank", referrerpolicy: "origin", text: "查看原文",
        href: BASE + "/v1/documents/" + encodeURIComponent(c.doc_id) + "/view?start=" + (+c.start) + "&end=" + (+c.end) +
          "&key=" + encodeURIComponent(KEY) + "#passage"
      })
    ]);
  }
  // The supporting sentence is highlighted with <mark>, still built from text nodes.
  function excerpt(text, quote) {
    var box = el("div", { class: "x" });
    var i = quote ? text.indexOf(quote) : -1;
    if (i < 0) { box.textContent = text; return box; }
    box.appendChild(document.createTextNode(text.slice(0, i)));
    box.appendChild(el("mark", { text: quote }));
    box.appendChild(document.createTextNode(text.slice(i + quote.length)));
    return box;
  }
  // 👍 sends; 👎 asks for an optional comment. i: the answer's index in messages.
  function feedbackRow(i) {
    var row = el("div", { class: "fb" }), why = null;
    ["赞", "踩"].forEach(function (label, down) {
      var b = el("button", { type: "button", "aria-label": label, text: down ? "👎 没用" : "👍 有用" });
      b.addEventListener("click", function () {
        if (!down) return sendFeedback(row, i, "up", "");
        if (why) return;
        why = el("input", { maxlength: "2000", placeholder: "哪里不对？（可选）", "aria-label": "反馈说明" });
        var send = el("button", { type: "button", text: "提交" });
        send.addEventListener("click", function () { sendFeedback(row, i, "down", why.value); });
        row.append(why, send);
        why.focus();
      });
      row.appendChild(b);
    });
    return row;
  }
  async function sendFeedback(row, i, rating, comment) {
    var m = messages[i], q = messages[i - 1] || {}, ok = false;
    clear(row);
    try {
      ok = (await fetch(BASE + "/v1/feedback", {
        method: "POST", headers: { "Content-Type": "application/json", "X-PolicyQA-Key": KEY }, credentials: "omit",
        body: JSON.stringify({ rating: rating, question: q.content || "", answer: m.content, abstained: !!m.abstained,
          comment: comment.trim(), citations: m.citations || [], history: historyOf(messages.slice(0, i - 1)) })
      })).ok;
    } catch (e) { /* below */ }
    status.textContent = row.textContent = ok ? "感谢反馈！" : "提交失败。";
  }

  function errorBubble(text, retryQuestion) {
    var node = el("div", { class: "msg error", role: "alert" }, [document.createTextNode(text)]);
    if (retryQuestion) {
      var retry = el("button", { class: "retry", type: "button", text: "重试" });
      retry.addEventListener("click", function () { node.remove(); ask(retryQuestion, true); });
      node.appendChild(retry);
    }
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    status.textContent = text;
  }

  /* ---------- asking ---------- */
  function historyOf(list) {
    return list.slice(-MAX_HISTORY).map(function (m) { return { role: m.role, content: m.content }; });
  }
  function historyForRequest() { return historyOf(messages); }

  async function ask(question, isRetry) {
    if (busy) return;
    busy = true;
    sendBtn.disabled = true;
    chips.hidden = true;
    var history = historyForRequest();
    if (isRetry && history.length && history[history.length - 1].role === "user") history.pop();
    if (!isRetry) { messages.push({ role: "user", content: question }); saveMessages(); log.appendChild(userBubble(question)); }
    var b = botBubble();
    b.text.appendChild(typing());
    log.appendChild(b.node);
    log.scrollTop = log.scrollHeight;
    status.textContent = "正在回答…";
    controller = new AbortController();
    try {
      var result = await stream(question, history, b, controller.signal);
      messages.push({ role: "assistant", content: result.answer, citations: result.citations, abstained: !!result.abstained });
      saveMessages();
      b.node.appendChild(feedbackRow(messages.length - 1));
      status.textContent = result.answer.replace(/\[\d{1,2}\]/g, "");
    } catch (err) {
      b.node.remove();
      if (err && err.name === "AbortError") return;
      errorBubble(err && err.userMessage ? err.userMessage : MSG.network, err && err.noRetry ? null : question);
    } finally {
      busy = false;
      sendBtn.disabled = false;
      controller = null;
    }
  }

  function failure(message, noRetry) {
    var e = new Error(message);
    e.userMessage = message;
    e.noRetry = !!noRetry;
    return e;
  }

  async function stream(question, history, b, signal) {
    var res;
    try {
      res = await fetch(BASE + "/v1/ask/stream", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "text/event-stream", "X-PolicyQA-Key": KEY },
        body: JSON.stringify({ question: question, history: history }),
        signal: signal,
        credentials: "omit"
      });
    } catch (e) {
      if (e && e.name === "AbortError") throw e;
      throw failure(MSG.network);
    }
    if (!res.ok) throw await httpFailure(res);
    var citations = [], draft = "", done = null;
    await readEvents(res.body, function (event, data) {
      if (event === "citations") citations = Array.isArray(data) ? data : [];
      else if (event === "delta") { draft += (data && data.text) || ""; fillAnswer(b, draft, citations, false); }
      else if (event === "done") done = data;
      else if (event === "error") throw failure((data && (data.message || (data.error && data.error.message))) || MSG.server);
      log.scrollTop = log.scrollHeight;
    });
    if (!done) {
      if (!draft) throw failure(MSG.cut);
      done = { answer: draft, citations: citations, abstained: false };
    }
    var answer = { answer: String(done.answer || ""), citations: done.citations || citations, abstained: !!done.abstained };
    fillAnswer(b, answer.answer, answer.citations, answer.abstained);
    return answer;
  }

  async function httpFailure(res) {
    var detail = "";
    try {
      var body = await res.json();
      detail = (body && body.error && body.error.message) || "";
    } catch (e) { /* not JSON */ }
    if (res.status === 401 || res.status === 403) return failure(MSG.auth, true);
    if (res.status === 429) {
      var wait = parseInt(res.headers.get("Retry-After") || "", 10);
      return failure(MSG.rate + (wait > 0 ? "（约 " + wait + " 秒后）" : ""));
    }
    if (res.status >= 400 && res.status < 500) return failure(detail || "问题无法处理，请修改后重试。", true);
    return failure(MSG.server);
  }

  // Server-sent events over fetch: blank-line separated blocks of "event:" / "data:" lines.
  async function readEvents(body, onEvent) {
    var reader = body.getReader(), decoder = new TextDecoder(), buf = "", carry = "";
    for (;;) {
      var chunk = await reader.read();
      var raw = carry + (chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true }));
      carry = !chunk.done && raw.slice(-1) === "\r" ? "\r" : ""; // a CRLF may be split across chunks
      buf += (carry ? raw.slice(0, -1) : raw).replace(/\r\n?/g, "\n");
      var i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        dispatch(buf.slice(0, i), onEvent);
        buf = buf.slice(i + 2);
      }
      if (chunk.done) break;
    }
    if (buf.trim()) dispatch(buf, onEvent);
  }
  function dispatch(block, onEvent) {
    var event = "message", data = [];
    block.split("\n").forEach(function (line) {
      if (!line || line[0] === ":") return; // comment / keep-alive
      var c = line.indexOf(":");
      var field = c < 0 ? line : line.slice(0, c);
      var value = c < 0 ? "" : line.slice(c + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    });
    if (!data.length) return;
    var parsed;
    try { parsed = JSON.parse(data.join("\n")); } catch (e) { parsed = data.join("\n"); }
    onEvent(event, parsed);
  }

  /* ---------- mount ---------- */
  function mount() {
    document.body.appendChild(host);
    renderAll();
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.PolicyQAWidget = { open: open, close: close, ask: function (q) { open(); ask(q); } };
})();
