// The console's shell: checks whether the gateway lets this tab in (an
// unsigned call, or one signed with the credentials of the login), shows
// the login when it does not, and otherwise the page the location hash
// names: #/queues (default), #/queue/NAME, #/topics.
import { clearCredentials, credentials, setCredentials, sqs } from "./api.js";
import { clear, form, h, notify, reportError } from "./dom.js";
import { renderQueue } from "./queue.js";
import { renderQueues } from "./queues.js";
import { renderTopics } from "./topics.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
let stopPage = null;  // the shown page's cleanup (its poll timer)

function showLogin(error) {
  nav.hidden = true;
  clear(main);
  const failed = credentials() !== null;
  if (failed) clearCredentials();
  main.append(h("section", { class: "login" },
      h("h2", {}, "Sign in"),
      h("p", {}, "This server checks AWS Signature V4 on every request. " +
                 "Enter an access key and secret from its --credentials " +
                 "file; they stay in this tab only."),
      failed ? h("p", { class: "error", id: "login-error" },
                 `Sign-in failed: ${error.code}`) : null,
      form({ id: "login-form" }, [
        h("label", {}, "Access key", h("input", {
          name: "accessKey", id: "access-key", autocomplete: "username",
          required: true })),
        h("label", {}, "Secret key", h("input", {
          name: "secret", id: "secret-key", type: "password",
          autocomplete: "current-password", required: true })),
        h("button", { type: "submit" }, "Sign in"),
      ], async (f) => {
        setCredentials(f.accessKey.value.trim(), f.secret.value);
        await route();
      })));
}

async function route() {
  if (stopPage) stopPage();
  stopPage = null;
  notify("");
  try {
    await sqs("ListQueues", { MaxResults: 1 });
  } catch (error) {
    if (error.isAuth) return showLogin(error);
    clear(main);
    return reportError(error);
  }
  nav.hidden = false;
  document.getElementById("sign-out").hidden = credentials() === null;
  clear(main);
  const [, page, ...rest] = (location.hash || "#/queues").split("/");
  for (const link of nav.querySelectorAll("a[data-page]")) {
    link.classList.toggle("active", link.dataset.page ===
                                        (page === "queue" ? "queues" : page));
  }
  if (page === "queue") {
    stopPage = renderQueue(main, decodeURIComponent(rest.join("/")));
  } else if (page === "topics") {
    stopPage = renderTopics(main);
  } else {
    stopPage = renderQueues(main);
  }
}

document.getElementById("sign-out").addEventListener("click", () => {
  clearCredentials();
  if (location.hash === "#/queues") {
    route();
  } else {
    location.hash = "#/queues";  // hashchange routes
  }
});
// A call refused for its signature while a page is shown: sign in again.
addEventListener("cortado-auth", (event) => {
  if (stopPage) stopPage();
  stopPage = null;
  showLogin(event.detail);
});
addEventListener("hashchange", route);
route();
