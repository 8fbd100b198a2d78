// The import status page: while an import runs, ask for its progress every 2 seconds and say it in the
// page's live region; reload the page once the import has finished, to show its summary or its errors.
// Without JavaScript the page offers a "Check progress" link instead.

const INTERVAL_MS = 2000;

export function initImportProgress(root = document) {
  for (const element of root.querySelectorAll('[data-module="app-import-progress"]')) {
    const url = element.getAttribute("data-progress-url");
    const text = element.querySelector("[data-progress-text]");
    if (!url || !text) continue;
    const poll = async () => {
      try {
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const progress = await response.json();
        if (progress.finished) {
          window.location.reload();
          return;
        }
        text.textContent = describe(progress);
      } catch {
        // A failed poll is retried at the next interval; the "Check progress" link still works.
      }
      window.setTimeout(poll, INTERVAL_MS);
    };
    window.setTimeout(poll, INTERVAL_MS);
  }
}

function describe(progress) {
  if (progress.status === "queued") return "The import is waiting to start.";
  if (progress.stage === "saving" && progress.total) {
    const done = progress.done.toLocaleString("en-GB");
    const total = progress.total.toLocaleString("en-GB");
    return `Comparing and saving: ${done} of ${total} rows.`;
  }
  return "Reading the file and checking every row.";
}
