/* yuanqu pages: small behaviours that need no framework. */
(function () {
  "use strict";

  // Scroll a marked span into view inside its own scroll box (not the whole page).
  function centreInBox(mark) {
    const box = mark.closest(".source-text, .pane");
    if (!box) { mark.scrollIntoView({ block: "center" }); return; }
    const top = mark.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, top - box.clientHeight / 2);
  }

  function flash(el) {
    el.classList.add("flash");
    setTimeout(function () { el.classList.remove("flash"); }, 1600);
  }

  // Report form: the hidden based_on_version follows the chosen month.
  function bindReportForm(root) {
    const select = root.querySelector("#id_period");
    const mapNode = document.getElementById("period-versions");
    if (!select || !mapNode) return;
    const versions = JSON.parse(mapNode.textContent);
    const hidden = root.querySelector("input[name=based_on_version]");
    const hint = document.getElementById("period-hint");
    // On load the server's value stands (after a refused save it is the version the user saw).
    function update(event) {
      const info = versions[select.value];
      if (event) hidden.value = info ? info.version : 0;
      if (hint) {
        hint.textContent = info
          ? "该月已有第" + info.version + "版（" + info.review + "），提交后生成第" + (info.version + 1) + "版，原版本保留。"
          : "该月尚无报告，提交后为第1版。";
        // Another month chosen: its latest version can be loaded as the starting point.
        if (event && info) {
          const load = document.createElement("a");
          load.href = "?period=" + encodeURIComponent(select.value);
          load.className = "ms-1";
          load.textContent = "载入该月第" + info.version + "版的内容";
          hint.appendChild(load);
        }
      }
    }
    select.addEventListener("change", update);
    update(null);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".source-text mark.current").forEach(centreInBox);
    bindReportForm(document);
  });

  // Review page: a mark leads to its target card, a card's 原文 link back to the mark.
  document.addEventListener("click", function (event) {
    const mark = event.target.closest("mark.src[data-targets]");
    if (mark && document.querySelector(".yq-review")) {
      const first = mark.dataset.targets.split(" ")[0];
      const card = document.getElementById("tcard-" + first);
      if (card) { card.scrollIntoView({ block: "center", behavior: "smooth" }); flash(card); }
      return;
    }
    const link = event.target.closest("[data-show-source]");
    if (link) {
      event.preventDefault();
      const target = document.querySelector('mark.src[data-targets~="' + link.dataset.showSource + '"]');
      if (target) { centreInBox(target); flash(target); }
    }
    const all = event.target.closest("[data-check-all]");
    if (all) {
      const box = document.getElementById(all.dataset.checkAll);
      if (box) box.querySelectorAll("input[name=pick]").forEach(function (c) { c.checked = all.checked; });
    }
  });

  // The pages carry no inline script (the Content-Security-Policy allows only our own files):
  // behaviours are asked for by data attributes and served here.

  // data-confirm="…" on a form or on its submit button: ask before sending. In the capture phase,
  // so a refusal stops the submit before anything else (htmx included) sees it.
  document.addEventListener("submit", function (event) {
    const asker = [event.submitter, event.target].find(function (el) { return el && el.dataset && el.dataset.confirm; });
    if (asker && !window.confirm(asker.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // data-autosubmit on a select: choosing sends its form.
  document.addEventListener("change", function (event) {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });

  // data-enter-stays on a search box: Enter searches (htmx) and does not submit the enclosing form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest("[data-enter-stays]")) event.preventDefault();
  });

  // data-export-form="<form id>" on an export link: the filters change through htmx, so the link
  // takes the form's current values when clicked.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-export-form]");
    if (!link) return;
    const form = document.getElementById(link.dataset.exportForm);
    if (form) link.href = link.pathname + "?" + new URLSearchParams(new FormData(form)).toString();
  }, true);

  // An htmx request refused by the server (403, 404, 500) would otherwise fail silently.
  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr.status;
    const text = status === 403 ? "您无权执行该操作。" : status === 404 ? "未找到该记录，或您无权查看。"
      : status === 413 ? "提交的内容过大，没有保存，请减少或压缩附件后再提交。"
      : status === 429 ? "操作过于频繁，请稍后再试。" : "操作失败（" + status + "），请刷新后重试。";
    const box = document.getElementById("messages");
    if (!box) return;
    const alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible fade show";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    const close = document.createElement("button");
    close.type = "button"; close.className = "btn-close"; close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "关闭");
    alert.appendChild(close);
    box.appendChild(alert);
  });
})();
