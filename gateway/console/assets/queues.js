// The queue list (#/queues): every queue with its type, message counts,
// the age of its oldest message and its dead-letter links, polled every two
// seconds; a name filter; create, purge and delete (each confirmed).
import { queueNameOf, sqs } from "./api.js";
import { age, clear, form, h, notify, reportError } from "./dom.js";

const POLL_MILLIS = 2000;

async function listQueueUrls() {
  const urls = [];
  let token;
  do {
    const page = await sqs("ListQueues", { MaxResults: 1000,
                                           ...(token && { NextToken: token }) });
    urls.push(...(page.QueueUrls || []));
    token = page.NextToken;
  } while (token);
  return urls;
}

// One queue's row data; null if it went away meanwhile.
async function loadQueue(url) {
  const name = queueNameOf(url);
  try {
    const [attributes, peek] = await Promise.all([
      sqs("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["All"] }),
      sqs("PeekMessages", { QueueUrl: url, MaxNumberOfMessages: 1 }),
    ]);
    const a = attributes.Attributes || {};
    let dlq = "";
    try { dlq = JSON.parse(a.RedrivePolicy || "{}").deadLetterTargetArn || ""; }
    catch { dlq = ""; }
    return { name, attributes: a, dlq: dlq && queueNameOf(dlq),
             oldest: peek.OldestMessageTimestamp };
  } catch (error) {
    if (error.code === "QueueDoesNotExist") return null;
    throw error;
  }
}

function queueLink(name) {
  return h("a", { href: `#/queue/${encodeURIComponent(name)}` }, name);
}

export function renderQueues(main) {
  let rows = [];
  const tbody = h("tbody");
  const filter = h("input", { id: "queue-filter", type: "search",
                              placeholder: "Filter by name",
                              oninput: () => draw() });
  const confirmThen = async (question, action) => {
    if (!confirm(question)) return;
    try {
      await action();
      await refresh();
    } catch (error) {
      reportError(error);
    }
  };

  function draw() {
    const needle = filter.value.trim().toLowerCase();
    const sources = new Map();  // dead-letter queue -> its source queues
    for (const row of rows) {
      if (row.dlq) sources.set(row.dlq, [...(sources.get(row.dlq) || []), row.name]);
    }
    clear(tbody);
    const now = Date.now();
    for (const row of rows) {
      if (needle && !row.name.toLowerCase().includes(needle)) continue;
      const a = row.attributes;
      const links = [];
      if (row.dlq) links.push("DLQ: ", queueLink(row.dlq));
      for (const source of sources.get(row.name) || []) {
        links.push(links.length ? ", " : "", "DLQ of ", queueLink(source));
      }
      tbody.append(h("tr", { "data-queue": row.name },
          h("td", {}, queueLink(row.name)),
          h("td", {}, a.FifoQueue === "true" ? "FIFO" : "Standard"),
          h("td", { class: "n visible" }, a.ApproximateNumberOfMessages),
          h("td", { class: "n" }, a.ApproximateNumberOfMessagesNotVisible),
          h("td", { class: "n" }, a.ApproximateNumberOfMessagesDelayed),
          h("td", { class: "n" }, row.oldest ? age(now - row.oldest) : "–"),
          h("td", {}, links),
          h("td", { class: "actions" },
            h("button", { class: "small purge", onclick: () => confirmThen(
                `Purge every message of ${row.name}?`, async () => {
                  await sqs("PurgeQueue", { QueueUrl: row.name });
                  notify(`Purged ${row.name}`);
                }) }, "Purge"),
            h("button", { class: "small danger delete", onclick: () => confirmThen(
                `Delete the queue ${row.name} and its messages?`, async () => {
                  await sqs("DeleteQueue", { QueueUrl: row.name });
                  notify(`Deleted ${row.name}`);
                }) }, "Delete"))));
    }
    if (!tbody.firstChild) {
      tbody.append(h("tr", {}, h("td", { colspan: 8, class: "empty" },
          rows.length ? "No queue matches the filter." : "No queues yet.")));
    }
  }

  let busy = false;
  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      const loaded = await Promise.all((await listQueueUrls()).map(loadQueue));
      rows = loaded.filter(Boolean).sort((x, y) => x.name.localeCompare(y.name));
      draw();
    } finally {
      busy = false;
    }
  }

  const create = form({ id: "create-queue", class: "inline" }, [
    h("input", { name: "name", placeholder: "New queue name", required: true }),
    h("label", {}, h("input", { type: "checkbox", name: "fifo" }), " FIFO"),
    h("button", { type: "submit" }, "Create queue"),
  ], async (f) => {
    let name = f.name.value.trim();
    const fifo = f.fifo.checked;
    if (fifo && !name.endsWith(".fifo")) name += ".fifo";
    await sqs("CreateQueue", { QueueName: name,
                               Attributes: fifo ? { FifoQueue: "true" } : {} });
    notify(`Created ${name}`);
    f.reset();
    await refresh();
  });

  main.append(h("h2", {}, "Queues"),
      h("div", { class: "toolbar" }, filter, create),
      h("table", { id: "queue-table", class: "grid" },
        h("thead", {}, h("tr", {}, ["Name", "Type", "Visible", "In flight",
          "Delayed", "Oldest", "Dead-letter", ""].map((t) => h("th", {}, t)))),
        tbody));
  refresh().catch(reportError);
  const timer = setInterval(() => refresh().catch(reportError), POLL_MILLIS);
  return () => clearInterval(timer);
}
