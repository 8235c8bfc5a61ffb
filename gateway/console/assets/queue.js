// One queue's page (#/queue/NAME): its counts (polled), attributes
// (editable), tags, peeked messages, the send form and, for a dead-letter
// queue, its redrive.
import { sqs } from "./api.js";
import { clear, form, h, notify, reportError } from "./dom.js";
import { peekSection, sendSection } from "./messages.js";
import { redriveSection } from "./redrive.js";

const POLL_MILLIS = 2000;
// What SetQueueAttributes takes; the rest are shown read-only.
const EDITABLE = new Set([
  "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod",
  "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "RedrivePolicy",
  "RedriveAllowPolicy", "Policy", "KmsMasterKeyId",
  "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
  "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
]);
const JSON_VALUED = new Set(["RedrivePolicy", "RedriveAllowPolicy", "Policy"]);

function attributesSection(queue, attributes, reload) {
  const inputs = {};
  const rows = Object.keys(attributes).sort().map((name) => {
    const value = attributes[name];
    let cell = h("span", { class: "mono" }, value);
    if (EDITABLE.has(name)) {
      inputs[name] = JSON_VALUED.has(name)
          ? h("textarea", { name, rows: 2, value })
          : h("input", { name, value });
      cell = inputs[name];
    }
    return h("tr", {}, h("th", {}, name), h("td", {}, cell));
  });
  for (const name of ["RedrivePolicy", "RedriveAllowPolicy"]) {
    if (inputs[name]) continue;
    inputs[name] = h("textarea", { name, rows: 2, value: "" });
    rows.push(h("tr", {}, h("th", {}, name), h("td", {}, inputs[name])));
  }
  return h("section", { id: "attributes" }, h("h3", {}, "Attributes"),
      form({ id: "attributes-form" }, [
        h("table", { class: "attributes" }, rows),
        h("button", { type: "submit" }, "Save attributes"),
      ], async () => {
        const changed = {};
        for (const [name, input] of Object.entries(inputs)) {
          if (input.value !== (attributes[name] ?? "")) changed[name] = input.value;
        }
        if (!Object.keys(changed).length) return notify("Nothing changed");
        await sqs("SetQueueAttributes", { QueueUrl: queue, Attributes: changed });
        notify(`Saved ${Object.keys(changed).join(", ")}`);
        await reload();
      }));
}

function tagsSection(queue, tags, reload) {
  return h("section", { id: "tags" }, h("h3", {}, "Tags"),
      h("table", { class: "grid" }, Object.entries(tags).map(([key, value]) =>
          h("tr", {}, h("td", {}, key), h("td", {}, value),
            h("td", {}, h("button", { class: "small", onclick: async () => {
              try {
                await sqs("UntagQueue", { QueueUrl: queue, TagKeys: [key] });
                await reload();
              } catch (error) { reportError(error); }
            } }, "Remove"))))),
      form({ id: "tag-form", class: "inline" }, [
        h("input", { name: "key", placeholder: "key", required: true }),
        h("input", { name: "value", placeholder: "value" }),
        h("button", { type: "submit" }, "Add tag"),
      ], async (f) => {
        await sqs("TagQueue", { QueueUrl: queue,
                                Tags: { [f.key.value]: f.value.value } });
        await reload();
      }));
}

function counts(a) {
  return `${a.ApproximateNumberOfMessages} visible · ` +
         `${a.ApproximateNumberOfMessagesNotVisible} in flight · ` +
         `${a.ApproximateNumberOfMessagesDelayed} delayed`;
}

export function renderQueue(main, queue) {
  let stopped = false;
  const summary = h("p", { id: "queue-counts", class: "counts" });
  const body = h("div");
  const readAttributes = async () => (await sqs("GetQueueAttributes",
      { QueueUrl: queue, AttributeNames: ["All"] })).Attributes || {};
  const act = (question, action) => async () => {
    if (!confirm(question)) return;
    try { await action(); } catch (error) { reportError(error); }
  };
  let peek = null;
  async function reload() {
    const [attributes, tags] = await Promise.all([readAttributes(),
        sqs("ListQueueTags", { QueueUrl: queue })]);
    if (stopped) return;
    const fifo = attributes.FifoQueue === "true";
    summary.textContent = counts(attributes);
    peek = peekSection(queue);
    const redrive = await redriveSection(queue, attributes.QueueArn);
    clear(body).append(...[
        h("p", {}, fifo ? "FIFO queue" : "Standard queue", " · ",
          h("span", { class: "mono" }, attributes.QueueArn)),
        peek.element,
        sendSection(queue, fifo, async () => {
          await peek.refresh();
          summary.textContent = counts(await readAttributes());
        }),
        redrive ? redrive.element : null,
        attributesSection(queue, attributes, reload),
        tagsSection(queue, tags.Tags || {}, reload),
    ].filter(Boolean));
    await peek.refresh();
  }
  main.append(h("p", {}, h("a", { href: "#/queues" }, "← Queues")),
      h("div", { class: "title" }, h("h2", {}, queue),
        h("button", { id: "purge-queue", onclick: act(
            `Purge every message of ${queue}?`, async () => {
              await sqs("PurgeQueue", { QueueUrl: queue });
              notify(`Purged ${queue}`);
              await peek?.refresh();
            }) }, "Purge"),
        h("button", { id: "delete-queue", class: "danger", onclick: act(
            `Delete the queue ${queue} and its messages?`, async () => {
              await sqs("DeleteQueue", { QueueUrl: queue });
              notify(`Deleted ${queue}`);
              location.hash = "#/queues";
            }) }, "Delete")),
      summary, body);
  reload().catch(reportError);
  const timer = setInterval(async () => {
    try {
      summary.textContent = counts(await readAttributes());
    } catch (error) {
      if (error.code !== "QueueDoesNotExist") reportError(error);
    }
  }, POLL_MILLIS);
  return () => { stopped = true; clearInterval(timer); };
}
