// Small DOM helpers. Everything from the server (queue names, bodies,
// attributes) goes in as text nodes, never as HTML.

// h("td", {class: "n"}, "text", childNode, ...): an element.
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) {
      element.addEventListener(key.slice(2), value);
    } else if (key === "value") {
      element.value = value;
    } else if (key === "checked") {
      element.checked = Boolean(value);
    } else {
      element.setAttribute(key, value === true ? "" : value);
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
  return element;
}

// A message in the page's status bar: errors stay until the next one.
export function notify(text, kind = "info") {
  const bar = document.getElementById("status");
  bar.textContent = text;
  bar.className = `status ${kind}`;
}

export function reportError(error) {
  if (error.isAuth) {
    dispatchEvent(new CustomEvent("cortado-auth", { detail: error }));
    return;
  }
  notify(`${error.code || "Error"}: ${error.message}`, "error");
}

// "3 s", "4 min", "2 h", "5 d".
export function age(millis) {
  const seconds = Math.max(0, Math.floor(millis / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

export function time(millis) {
  return millis ? new Date(Number(millis)).toISOString().replace("T", " ")
                      .replace(/\.\d+Z$/, "Z")
                : "";
}

// A <form> whose submit runs `action` (errors go to the status bar).
export function form(attrs, children, action) {
  return h("form", {
    ...attrs,
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await action(event.target);
      } catch (error) {
        reportError(error);
      }
    },
  }, children);
}

// Rows of name / type / value inputs for message attributes, and a reader
// turning them into the SQS JSON MessageAttributes map.
export function attributeEditor() {
  const rows = h("div", { class: "attribute-rows" });
  const addRow = () => rows.append(h("div", { class: "attribute-row" },
      h("input", { placeholder: "name", class: "attr-name" }),
      h("select", { class: "attr-type" },
        h("option", {}, "String"), h("option", {}, "Number")),
      h("input", { placeholder: "value", class: "attr-value" }),
      h("button", { type: "button", class: "small",
                    onclick: (e) => e.target.parentElement.remove() }, "×")));
  const element = h("div", {}, rows,
      h("button", { type: "button", class: "small", onclick: addRow },
        "+ attribute"));
  const read = () => {
    const out = {};
    for (const row of rows.children) {
      const name = row.querySelector(".attr-name").value.trim();
      if (!name) continue;
      out[name] = { DataType: row.querySelector(".attr-type").value,
                    StringValue: row.querySelector(".attr-value").value };
    }
    return out;
  };
  return { element, read };
}
