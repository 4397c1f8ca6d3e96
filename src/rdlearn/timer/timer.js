// rdlearn countdown timer: an anywidget front end (see rdlearn.timer.widget.timer).
//
// The browser does the counting, so the kernel is not woken every second. The time left is
// always computed as "duration minus time spent running", read from performance.now(), so
// the display cannot drift however irregularly the page ticks (background tabs tick
// slowly). Nothing here is fetched from the network: the end tone is the kit's WebAudio chime,
// and the look is timer.css.

import { chime, h, unlockAudio } from "./widgetkit.js";

/** Seconds left as MM:SS, rounding up so that 00:00 shows only at the very end. */
export function formatRemaining(ms) {
  const whole = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(whole / 60);
  const seconds = whole % 60;
  return `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}

/**
 * A countdown read from a clock (the same logic as rdlearn.timer.countdown.Countdown).
 * `now` returns milliseconds; tests can pass a fake one.
 */
export function createCountdown(durationMs, now = () => performance.now()) {
  let duration = durationMs;
  let spentBefore = 0;
  let startedAt = null;
  const spent = () => spentBefore + (startedAt === null ? 0 : now() - startedAt);
  const api = {
    get durationMs() { return duration; },
    remaining() { return Math.max(0, duration - spent()); },
    finished() { return spent() >= duration; },
    state() {
      if (api.finished()) return "finished";
      if (startedAt !== null) return "running";
      return spentBefore > 0 ? "paused" : "ready";
    },
    start() { if (startedAt === null && !api.finished()) startedAt = now(); },
    pause() {
      if (startedAt !== null) { spentBefore += now() - startedAt; startedAt = null; }
    },
    reset(newDurationMs) {
      if (newDurationMs !== undefined) duration = newDurationMs;
      spentBefore = 0;
      startedAt = null;
    },
  };
  api.resume = api.start;
  return api;
}

/** Whole minutes still to go, counted the way the announcements speak them. */
export function minutesLeft(ms) {
  return Math.ceil(Math.max(0, ms) / 60000);
}

function minutesWords(n) {
  return n === 1 ? "1 minute left" : `${n} minutes left`;
}

function render({ model, el }) {
  const label = h("p", { class: "rd-timer__label" });
  const digits = h("div", { class: "rd-timer__digits", role: "timer", "aria-live": "off" });
  const status = h("p", { class: "rd-timer__status", "aria-live": "polite" });
  const spoken = h("div", { class: "rd-timer__sr", "aria-live": "polite", "aria-atomic": "true" });
  const button = (text, className) => h("button", { type: "button", class: className, text });
  const startButton = button("Start");
  const pauseButton = button("Pause");
  const resumeButton = button("Resume");
  const resetButton = button("Reset", "rd-timer__secondary");
  const buttons = h("div", { class: "rd-timer__buttons", role: "group",
                             "aria-label": "Timer controls" },
                    startButton, pauseButton, resumeButton, resetButton);
  const soundBox = h("input", { type: "checkbox" });
  soundBox.checked = model.get("sound");
  const soundLabel = h("label", { class: "rd-timer__sound" }, soundBox,
                       "Play a gentle tone at the end");
  const message = h("p", { class: "rd-timer__message", role: "status" });
  const root = h("section", { class: "rd-timer", "aria-label": "Countdown timer" },
                 label, digits, status, buttons, soundLabel, message, spoken);
  el.append(root);

  const countdown = createCountdown(model.get("duration_s") * 1000);
  let audio = null;
  let interval = null;
  let lastMinute = minutesLeft(countdown.remaining());
  let announcedEnd = false;

  function say(text) {
    // Clearing first makes screen readers repeat an identical announcement.
    spoken.textContent = "";
    window.setTimeout(() => { spoken.textContent = text; }, 50);
  }

  function show() {
    const state = countdown.state();
    const remaining = countdown.remaining();
    digits.textContent = formatRemaining(remaining);
    digits.setAttribute("aria-label", `${formatRemaining(remaining)} left`);
    label.textContent = model.get("label") || "";
    label.hidden = !model.get("label");
    message.textContent = model.get("message") || "";
    root.classList.toggle("rd-timer--done", state === "finished");
    root.classList.toggle("rd-timer--paused", state === "paused");
    const words = {
      ready: `Ready: ${minutesWords(minutesLeft(remaining)).replace(" left", "")}`,
      running: "Running",
      paused: "Paused",
      finished: "Time is up",
    };
    if (status.textContent !== words[state]) status.textContent = words[state];
    startButton.disabled = state !== "ready";
    pauseButton.disabled = state !== "running";
    resumeButton.disabled = state !== "paused";
    resetButton.disabled = state === "ready";
  }

  function tick() {
    const remaining = countdown.remaining();
    const minute = minutesLeft(remaining);
    if (minute < lastMinute && minute > 0) say(minutesWords(minute));
    lastMinute = minute;
    if (countdown.finished() && !announcedEnd) {
      announcedEnd = true;
      stopTicking();
      say("Time is up.");
      if (soundBox.checked) chime(audio);
    }
    show();
  }

  function startTicking() {
    if (interval === null) interval = window.setInterval(tick, 250);
  }

  function stopTicking() {
    if (interval !== null) { window.clearInterval(interval); interval = null; }
  }

  function prepareSound() {
    // Browsers allow sound only after a click; prepare it now, play it at the end.
    audio = unlockAudio(audio);
  }

  function focusIfDisabled(clicked, next) {
    if (clicked.disabled) next.focus();
  }

  startButton.addEventListener("click", () => {
    prepareSound();
    countdown.start();
    startTicking();
    show();
    focusIfDisabled(startButton, pauseButton);
  });
  pauseButton.addEventListener("click", () => {
    countdown.pause();
    stopTicking();
    show();
    say(`Paused, ${formatRemaining(countdown.remaining())} left`);
    focusIfDisabled(pauseButton, resumeButton);
  });
  resumeButton.addEventListener("click", () => {
    prepareSound();
    countdown.resume();
    startTicking();
    show();
    focusIfDisabled(resumeButton, pauseButton);
  });
  function reset() {
    stopTicking();
    countdown.reset(model.get("duration_s") * 1000);
    lastMinute = minutesLeft(countdown.remaining());
    announcedEnd = false;
    show();
  }
  resetButton.addEventListener("click", () => {
    reset();
    focusIfDisabled(resetButton, startButton);
  });
  soundBox.addEventListener("change", () => { if (soundBox.checked) prepareSound(); });

  const onVisible = () => { if (interval !== null) tick(); };
  document.addEventListener("visibilitychange", onVisible);
  model.on("change:duration_s", reset);
  model.on("change:reset_token", reset);
  model.on("change:label", show);
  model.on("change:message", show);
  show();

  return () => {
    stopTicking();
    document.removeEventListener("visibilitychange", onVisible);
    model.off("change:duration_s", reset);
    model.off("change:reset_token", reset);
    model.off("change:label", show);
    model.off("change:message", show);
    if (audio) audio.close().catch(() => {});
  };
}

export default { render };
