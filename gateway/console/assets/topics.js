// The topics page (#/topics): each topic with its subscriptions (protocol,
// endpoint, state, raw delivery, filter policy) and a publish form, over
// SNS's query protocol.
import { sns, xmlText } from "./api.js";
import { attributeEditor, clear, form, h, notify, reportError } from "./dom.js";

async function listTopicArns() {
  const arns = [];
  let token = "";
  do {
    const xml = await sns("ListTopics", token ? { NextToken: token } : {});
    for (const arn of xml.getElementsByTagName("TopicArn")) arns.push(arn.textContent);
    token = xmlText(xml, "NextToken");
  } while (token);
  return arns;
}

function attributeMap(xml) {
  const out = {};
  for (const entry of xml.getElementsByTagName("entry")) {
    out[xmlText(entry, "key")] = xmlText(entry, "value");
  }
  return out;
}

async function subscriptions(topicArn) {
  const out = [];
  let token = "";
  do {
    const xml = await sns("ListSubscriptionsByTopic",
                          { TopicArn: topicArn, ...(token && { NextToken: token }) });
    for (const member of xml.querySelectorAll("Subscriptions > member")) {
      const arn = xmlText(member, "SubscriptionArn");
      let attributes = {};
      if (arn.startsWith("arn:")) {
        attributes = attributeMap(await sns("GetSubscriptionAttributes",
                                            { SubscriptionArn: arn }));
      }
      out.push({ arn, protocol: xmlText(member, "Protocol"),
                 endpoint: xmlText(member, "Endpoint"), attributes });
    }
    token = xmlText(xml, "NextToken");
  } while (token);
  return out;
}

function publishForm(topicArn) {
  const fifo = topicArn.endsWith(".fifo");
  const attributes = attributeEditor();
  return form({ class: "publish-form" }, [
    h("label", {}, "Subject", h("input", { name: "subject" })),
    h("label", {}, "Message", h("textarea", { name: "message", rows: 3,
                                              required: true })),
    h("div", { class: "field" }, h("span", {}, "Attributes"), attributes.element),
    fifo ? h("label", {}, "Message group id",
             h("input", { name: "group", required: true })) : null,
    fifo ? h("label", {}, "Deduplication id", h("input", { name: "dedup" }))
         : null,
    h("button", { type: "submit" }, "Publish"),
  ], async (f) => {
    const params = { TopicArn: topicArn, Message: f.message.value };
    if (f.subject.value) params.Subject = f.subject.value;
    if (f.group) params.MessageGroupId = f.group.value;
    if (f.dedup && f.dedup.value) params.MessageDeduplicationId = f.dedup.value;
    Object.entries(attributes.read()).forEach(([name, value], i) => {
      const prefix = `MessageAttributes.entry.${i + 1}`;
      params[`${prefix}.Name`] = name;
      params[`${prefix}.Value.DataType`] = value.DataType;
      params[`${prefix}.Value.StringValue`] = value.StringValue;
    });
    const xml = await sns("Publish", params);
    notify(`Published message ${xmlText(xml, "MessageId")}`);
    f.message.value = "";
  });
}

async function topicSection(topicArn) {
  const subs = await subscriptions(topicArn);
  const rows = subs.map((s) => h("tr", {},
      h("td", {}, s.protocol), h("td", { class: "mono" }, s.endpoint),
      h("td", {}, s.arn.startsWith("arn:") &&
                  s.attributes.PendingConfirmation !== "true"
                      ? "Confirmed" : "Pending confirmation"),
      h("td", {}, s.attributes.RawMessageDelivery === "true" ? "raw" : "envelope"),
      h("td", {}, h("pre", { class: "body" }, s.attributes.FilterPolicy || "–"))));
  if (!rows.length) {
    rows.push(h("tr", {}, h("td", { colspan: 5, class: "empty" },
                            "No subscriptions.")));
  }
  return h("section", { class: "topic", "data-topic": topicArn },
      h("h3", {}, topicArn.split(":").pop(), " ",
        h("small", { class: "mono" }, topicArn)),
      h("table", { class: "grid" }, h("thead", {}, h("tr", {},
          ["Protocol", "Endpoint", "State", "Delivery", "Filter policy"].map(
              (t) => h("th", {}, t)))), h("tbody", {}, rows)),
      h("details", {}, h("summary", {}, "Publish a message"),
        publishForm(topicArn)));
}

export function renderTopics(main) {
  const list = h("div", {}, "Loading…");
  main.append(h("h2", {}, "Topics"), list);
  (async () => {
    const sections = await Promise.all((await listTopicArns()).map(topicSection));
    clear(list).append(...sections);
    if (!sections.length) list.append(h("p", { class: "empty" }, "No topics yet."));
  })().catch(reportError);
  return () => {};
}
