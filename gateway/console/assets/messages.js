// A queue's messages on its page: peeked (Cortado.PeekMessages, which
// changes nothing: no receive is counted, nothing is hidden), twenty a
// page, and the form that sends one.
import { sqs } from "./api.js";
import { attributeEditor, clear, form, h, notify, reportError, time }
    from "./dom.js";

const PAGE_SIZE = 20;

function attributeList(message) {
  const user = Object.entries(message.MessageAttributes || {}).map(
      ([name, v]) => h("div", {}, h("b", {}, name), ` (${v.DataType}) `,
                       v.StringValue ?? "[binary]"));
  const system = Object.entries(message.Attributes || {}).map(
      ([name, value]) => h("div", {}, h("b", {}, name), " ", value));
  return [user, h("details", {}, h("summary", {}, "system"), system)];
}

function messageRow(message) {
  return h("tr", { "data-message-id": message.MessageId },
      h("td", { class: "mono" }, message.MessageId),
      h("td", {}, h("pre", { class: "body" }, message.Body)),
      h("td", {}, attributeList(message)),
      h("td", { class: "n receive-count" }, message.ReceiveCount),
      h("td", {}, message.State),
      h("td", {}, time(message.SentTimestamp)));
}

// The peeked messages: {element, refresh}.
export function peekSection(queue) {
  const tokens = [""];  // the token of each page seen so far
  let page = 0;
  let next = "";
  const tbody = h("tbody");
  const label = h("span", { class: "page-label" });
  const previous = h("button", { type: "button", class: "small",
      onclick: () => { page -= 1; refresh(); } }, "◀ Previous");
  const nextButton = h("button", { type: "button", class: "small",
      onclick: () => { tokens[page + 1] = next; page += 1; refresh(); } },
      "Next ▶");
  async function refresh() {
    try {
      const result = await sqs("PeekMessages", { QueueUrl: queue,
          MaxNumberOfMessages: PAGE_SIZE,
          ...(tokens[page] && { NextToken: tokens[page] }) });
      next = result.NextToken || "";
      clear(tbody);
      for (const message of result.Messages || []) tbody.append(messageRow(message));
      if (!tbody.firstChild) {
        tbody.append(h("tr", {}, h("td", { colspan: 6, class: "empty" },
                                   "No messages.")));
      }
      label.textContent = `Page ${page + 1}`;
      previous.disabled = page === 0;
      nextButton.disabled = !next;
    } catch (error) {
      reportError(error);
    }
  }
  const element = h("section", { id: "messages" },
      h("h3", {}, "Messages ", h("small", {},
        "(peeked: visibility and receive counts stay as they are)")),
      h("div", { class: "toolbar" },
        h("button", { type: "button", id: "refresh-messages", class: "small",
                      onclick: () => refresh() }, "Refresh"),
        previous, label, nextButton),
      h("table", { class: "grid", id: "message-table" },
        h("thead", {}, h("tr", {}, ["Message ID", "Body", "Attributes",
          "Receives", "State", "Sent"].map((t) => h("th", {}, t)))),
        tbody));
  return { element, refresh };
}

// The send form; `onSent` runs after each send.
export function sendSection(queue, fifo, onSent) {
  const attributes = attributeEditor();
  const element = h("section", { id: "send" }, h("h3", {}, "Send a message"),
      form({ id: "send-form" }, [
        h("label", {}, "Body", h("textarea", { name: "body", id: "send-body",
                                               rows: 4, required: true })),
        h("div", { class: "field" }, h("span", {}, "Attributes"),
          attributes.element),
        fifo ? null : h("label", {}, "Delay (seconds)", h("input", {
          name: "delay", type: "number", min: 0, max: 900, value: "0" })),
        fifo ? h("label", {}, "Message group id", h("input", {
          name: "group", required: true })) : null,
        fifo ? h("label", {}, "Deduplication id", h("input", {
          name: "dedup", placeholder: "(content-based if enabled)" })) : null,
        h("button", { type: "submit", id: "send-button" }, "Send"),
      ], async (f) => {
        const params = { QueueUrl: queue, MessageBody: f.body.value };
        const userAttributes = attributes.read();
        if (Object.keys(userAttributes).length) {
          params.MessageAttributes = userAttributes;
        }
        if (f.delay && Number(f.delay.value) > 0) {
          params.DelaySeconds = Number(f.delay.value);
        }
        if (f.group) params.MessageGroupId = f.group.value;
        if (f.dedup && f.dedup.value) params.MessageDeduplicationId = f.dedup.value;
        const sent = await sqs("SendMessage", params);
        notify(`Sent message ${sent.MessageId}`);
        f.body.value = "";
        await onSent();
      }));
  return element;
}
