// rdlearn countdown timer: an anywidget front end (see rdlearn.facilitation_ui.timer).
//
// The browser does the counting, so the kernel is not woken every second. The time left is
// always computed as "duration minus time spent running", read from performance.now(), so
// the display cannot drift however irregularly the page ticks (background tabs tick
// slowly). Nothing here is fetched from the network: the end tone is made with WebAudio.

const STYLE = `
.rd-timer { font-family: var(--rd-font, system-ui, sans-serif); color: var(--rd-text, #1f2328);
  background: var(--rd-surface, #fff); border: 2px solid var(--rd-border, #ddd5c8);
  border-radius: var(--rd-radius, 12px); padding: 1rem 1.5rem; max-width: 44rem;
  text-align: center; }
.rd-timer__label { font-size: 1.5rem; font-weight: 600; margin: 0 0 .25rem; }
.rd-timer__digits { font-size: clamp(4.5rem, 16vw, 10rem); font-weight: 700; line-height: 1.05;
  font-variant-numeric: tabular-nums; letter-spacing: .02em; margin: .25rem 0; }
.rd-timer__status { font-size: 1.6rem; min-height: 2.2rem; margin: 0 0 .75rem;
  color: var(--rd-muted, #505a64); }
.rd-timer__buttons { display: flex; flex-wrap: wrap; gap: .6rem; justify-content: center; }
.rd-timer__buttons button { font: inherit; font-size: 1.25rem; padding: .6rem 1.3rem;
  min-width: 7.5rem; border-radius: 10px; border: 2px solid var(--rd-accent, #005a8f);
  background: var(--rd-accent, #005a8f); color: var(--rd-accent-text, #fff); cursor: pointer; }
.rd-timer__buttons button.rd-timer__secondary { background: transparent;
  color: var(--rd-accent, #005a8f); }
.rd-timer__buttons button:disabled { opacity: .4; cursor: not-allowed; }
.rd-timer__buttons button:focus-visible { outline: 4px solid var(--rd-focus, #d55e00);
  outline-offset: 3px; }
.rd-timer__sound { display: inline-flex; gap: .4rem; align-items: center; margin-top: .75rem;
  font-size: 1.05rem; }
.rd-timer__sound input { width: 1.2rem; height: 1.2rem; }
.rd-timer--done { border-color: var(--rd-warn, #8a4b00); background: var(--rd-warn-soft, #fff1dc); }
.rd-timer--done .rd-timer__digits, .rd-timer--done .rd-timer__status {
  color: var(--rd-warn, #8a4b00); }
.rd-timer--done .rd-timer__status { font-weight: 700; font-size: 2.2rem; }
.rd-timer--paused .rd-timer__digits { opacity: .6; }
.rd-timer__sr { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.rd-timer__message { color: var(--rd-warn, #8a4b00); margin: .5rem 0 0; }
`;

/** Seconds left as MM:SS, rounding up so that 00:00 shows only at the very end. */
export function formatRemaining(ms) {
  const whole = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(whole / 60);
  const seconds = whole % 60;
  return `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}

/**
 * A countdown read from a clock (the same logic as rdlearn.facilitation.Countdown).
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

/** A soft two-note chime; silent if the browser has no WebAudio. */
function chime(audio) {
  if (!audio) return;
  try {
    const t0 = audio.currentTime + 0.05;
    [523.25, 659.25].forEach((frequency, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      const start = t0 + i * 0.45;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 1.4);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 1.5);
    });
  } catch (err) {
    // No sound is better than a broken timer.
  }
}

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el }) {
  const style = make("style");
  style.textContent = STYLE;
  const root = make("section", "rd-timer");
  root.setAttribute("aria-label", "Countdown timer");
  const label = make("p", "rd-timer__label");
  const digits = make("div", "rd-timer__digits");
  digits.setAttribute("role", "timer");
  digits.setAttribute("aria-live", "off");
  const status = make("p", "rd-timer__status");
  status.setAttribute("aria-live", "polite");
  const spoken = make("div", "rd-timer__sr");
  spoken.setAttribute("aria-live", "polite");
  spoken.setAttribute("aria-atomic", "true");
  const buttons = make("div", "rd-timer__buttons");
  buttons.setAttribute("role", "group");
  buttons.setAttribute("aria-label", "Timer controls");
  const startButton = make("button", "", "Start");
  const pauseButton = make("button", "", "Pause");
  const resumeButton = make("button", "", "Resume");
  const resetButton = make("button", "rd-timer__secondary", "Reset");
  for (const b of [startButton, pauseButton, resumeButton, resetButton]) {
    b.type = "button";
    buttons.append(b);
  }
  const soundLabel = make("label", "rd-timer__sound");
  const soundBox = make("input");
  soundBox.type = "checkbox";
  soundBox.checked = model.get("sound");
  soundLabel.append(soundBox, document.createTextNode("Play a gentle tone at the end"));
  const message = make("p", "rd-timer__message");
  message.setAttribute("role", "status");
  root.append(label, digits, status, buttons, soundLabel, message, spoken);
  el.append(style, root);

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

  function unlockAudio() {
    // Browsers allow sound only after a click; prepare it now, play it at the end.
    try {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (Context && !audio) audio = new Context();
      if (audio && audio.state === "suspended") audio.resume();
    } catch (err) {
      audio = null;
    }
  }

  function focusIfDisabled(clicked, next) {
    if (clicked.disabled) next.focus();
  }

  startButton.addEventListener("click", () => {
    unlockAudio();
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
    unlockAudio();
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
  soundBox.addEventListener("change", () => { if (soundBox.checked) unlockAudio(); });

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
