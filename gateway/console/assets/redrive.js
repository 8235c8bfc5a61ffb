// A dead-letter queue's redrive on its page: the queues that send to it,
// and message move tasks (StartMessageMoveTask / CancelMessageMoveTask /
// ListMessageMoveTasks) back to them or to another queue.
import { queueNameOf, sqs } from "./api.js";
import { clear, form, h, notify, reportError, time } from "./dom.js";

export async function redriveSection(queue, arn) {
  const sources = (await sqs("ListDeadLetterSourceQueues",
                             { QueueUrl: queue })).queueUrls || [];
  if (!sources.length) return null;
  const names = sources.map(queueNameOf);
  const tbody = h("tbody");
  async function refresh() {
    const tasks = (await sqs("ListMessageMoveTasks",
                             { SourceArn: arn, MaxResults: 10 })).Results || [];
    clear(tbody);
    for (const task of tasks) {
      tbody.append(h("tr", {},
          h("td", {}, task.Status),
          h("td", {}, task.DestinationArn ? queueNameOf(task.DestinationArn)
                                          : "source queues"),
          h("td", { class: "n" }, `${task.ApproximateNumberOfMessagesMoved} / ` +
                                  `${task.ApproximateNumberOfMessagesToMove}`),
          h("td", {}, time(task.StartedTimestamp)),
          h("td", {}, task.FailureReason || ""),
          h("td", {}, task.TaskHandle ? h("button", { class: "small danger",
              onclick: async () => {
                try {
                  await sqs("CancelMessageMoveTask",
                            { TaskHandle: task.TaskHandle });
                  notify("Redrive cancelled");
                  await refresh();
                } catch (error) { reportError(error); }
              } }, "Cancel") : "")));
    }
    if (!tbody.firstChild) {
      tbody.append(h("tr", {}, h("td", { colspan: 6, class: "empty" },
                                 "No redrive yet.")));
    }
  }
  const destination = h("select", { name: "destination" },
      h("option", { value: "" }, "each message's source queue"),
      names.map((name) => h("option", { value: name }, name)));
  const element = h("section", { id: "redrive" }, h("h3", {}, "Redrive"),
      h("p", {}, "Dead-letter queue of ", names.join(", "), "."),
      form({ id: "redrive-form", class: "inline" }, [
        h("label", {}, "Move to ", destination),
        h("label", {}, "Messages/second ", h("input", {
          name: "rate", type: "number", min: 1, max: 500,
          placeholder: "no limit" })),
        h("button", { type: "submit" }, "Start redrive"),
      ], async (f) => {
        const params = { SourceArn: arn };
        if (destination.value) {
          params.DestinationArn = arn.replace(/[^:]+$/, destination.value);
        }
        if (f.rate.value) params.MaxNumberOfMessagesPerSecond = Number(f.rate.value);
        await sqs("StartMessageMoveTask", params);
        notify("Redrive started");
        await refresh();
      }),
      h("table", { class: "grid" }, h("thead", {}, h("tr", {},
          ["Status", "To", "Moved", "Started", "Failure", ""].map(
              (t) => h("th", {}, t)))), tbody));
  await refresh();
  return { element, refresh };
}
