// Progressive enhancement of the web chat: send without reloading the page.
// Without JavaScript the same forms post and the page is rendered again by the server.
const transcript = document.querySelector("[data-chat-transcript]");

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("[data-chat-form]");
  if (!form || !transcript) return;
  event.preventDefault();
  const data = new FormData(form, event.submitter);
  const buttons = document.querySelectorAll("[data-chat-form] button");
  buttons.forEach((button) => { button.disabled = true; });
  let response;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
  } catch (error) {
    response = null;
  }
  if (!response || !response.ok) {
    // Let the server show what went wrong (an empty message, or the bot being down) with nothing lost.
    buttons.forEach((button) => { button.disabled = false; });
    HTMLFormElement.prototype.submit.call(form);
    return;
  }
  const html = await response.text();
  // Clear the box and show the reply together, and only if the resident has not started typing again.
  const box = document.querySelector("textarea[name=message]");
  if (box && box.value === data.get("message")) box.value = "";
  transcript.innerHTML = html;
  buttons.forEach((button) => { button.disabled = false; });
  const latest = document.getElementById("latest");
  if (latest) {
    latest.scrollIntoView({ block: "nearest" });
    if (box) box.focus();
  }
});
