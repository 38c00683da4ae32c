/* Fill back what a person typed before a refused submit (core/kept_forms.py): only into the form
   that posts to the same address, never submitting it for them. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const node = document.getElementById("kept-form");
    if (!node) return;
    const kept = JSON.parse(node.textContent);
    const form = Array.from(document.forms).find(function (f) {
      return f.method.toLowerCase() === "post" && new URL(f.action, location.href).pathname === kept.action;
    });
    if (!form) return;
    Object.keys(kept.data).forEach(function (name) {
      const values = kept.data[name];
      let index = 0;
      Array.from(form.elements).forEach(function (el) {
        if (el.name !== name || el.type === "file" || el.name === "csrfmiddlewaretoken") return;
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = values.indexOf(el.value) !== -1;
        } else if (el.tagName === "SELECT" && el.multiple) {
          Array.from(el.options).forEach(function (o) { o.selected = values.indexOf(o.value) !== -1; });
        } else if (index < values.length) {
          el.value = values[index++];  // fields sharing a name come back in order
        }
      });
    });
    let parent = form.parentElement;
    while (parent) {  // a form folded away (<details>) is opened
      if (parent.tagName === "DETAILS") parent.open = true;
      parent = parent.parentElement;
    }
    form.scrollIntoView({ block: "center" });
  });
})();
