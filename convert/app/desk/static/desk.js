// The desk's one script: while long work runs, show its progress and reload when it ends.
"use strict";
(function () {
  const box = document.getElementById("jobs");
  if (!box) return;
  const running = () => box.querySelectorAll('[data-state="queued"], [data-state="running"]').length > 0;
  if (!running()) return;
  async function poll() {
    try {
      const answer = await fetch(box.dataset.jobsUrl, { credentials: "same-origin", cache: "no-store" });
      if (!answer.ok) return setTimeout(poll, 2000);
      const state = await answer.json();
      let busy = false;
      for (const job of state.jobs) {
        const line = box.querySelector(`[data-job="${job.id}"]`);
        if (!line) continue;
        line.dataset.state = job.state;
        line.querySelector(".job-state").textContent = job.state;
        line.querySelector(".job-message").textContent = job.message;
        const bar = line.querySelector("progress");
        if (bar) { bar.max = job.total || 1; bar.value = job.done; }
        if (job.state === "queued" || job.state === "running") busy = true;
      }
      if (busy) setTimeout(poll, 700);
      else window.location.reload();
    } catch (error) {
      setTimeout(poll, 2000);
    }
  }
  setTimeout(poll, 500);
})();
