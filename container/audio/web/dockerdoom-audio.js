// SPDX-License-Identifier: GPL-2.0-or-later
// dockerdoom-audio.js - the game's sound in the noVNC page.
//
// Once noVNC is connected and the player has clicked or pressed a key in
// the page (a browser lets a page make sound only after that), a worker
// (dockerdoom-audio-worker.js) opens a second websocket beside noVNC's
// own, websockify?token=audio, answers its password challenge as VNC's is
// answered, with the password the player gave noVNC, and feeds the raw
// samples that follow to a player on the browser's audio thread
// (dockerdoom-audio-worklet.js). Without the right password the server
// sends no sound at all. The main thread, busy drawing noVNC's frames, is
// not on the way. A button at the bottom right mutes and unmutes; the
// choice is kept in this browser.
//
// Audio worklets exist only in a secure context: http://127.0.0.1 or
// localhost (what the launcher prints; an SSH tunnel to it), or https.
// On a plain http address of another host the button says so.
//
// window.dockerdoomAudio is for the tests and the benchmark: the node the
// sound leaves the page through (after the mute), its state and counters.

const MUTE_KEY = 'dockerdoom_sound_muted';

let password = passwordFromUrl();
let connected = false;      // noVNC's own connection
let ctx = null;             // the AudioContext, made on the first gesture
let output = null;          // GainNode: the mute
let worker = null;
let ready = false;          // worklet loaded, worker and worklet joined
let streaming = false;      // the worker has a socket open
let retryTimer = null;
let retryDelay = 2000;
let refused = false;        // the password was refused: no retries
let muted = localStorage.getItem(MUTE_KEY) === '1';
let state = 'waiting';      // waiting | starting | playing | refused | unavailable | insecure

const stats = { bytes: 0, underruns: 0, droppedMs: 0, lead: 0, fillMs: 0, gapMs: 0 };

// As noVNC reads it (WebUtil.getConfigVar): ?password=... in the address.
function passwordFromUrl() {
    const m = document.location.href.match(/.*[?&]password=([^&#]*)/);
    return m ? decodeURIComponent(m[1]) : null;
}

// ------------------------------------------------------------------ button

const button = document.createElement('button');
button.id = 'dockerdoom_sound';
button.type = 'button';
button.tabIndex = -1;
Object.assign(button.style, {
    position: 'fixed', right: '8px', bottom: '8px', zIndex: 10000,
    font: '13px sans-serif', padding: '4px 10px', border: 'none',
    borderRadius: '4px', background: 'rgba(0,0,0,0.65)', color: '#fff',
    cursor: 'pointer',
});
// Keep the keyboard with noVNC's canvas: the button never takes focus.
button.addEventListener('mousedown', (e) => e.preventDefault());
button.addEventListener('click', () => {
    if (ctx) setMuted(!muted);
});

function render() {
    const texts = {
        refused: '\u{1F507} sound: password refused',
        unavailable: '\u{1F507} sound: not available',
        insecure: '\u{1F507} sound needs https or 127.0.0.1',
    };
    let text = texts[state];
    if (!text) {
        if (!ctx) text = '\u{1F508} click for sound';
        else if (muted) text = '\u{1F507} sound off';
        else text = '\u{1F50A} sound on';
    }
    button.textContent = text;
    button.title = state === 'insecure'
        ? 'browsers play a stream like this only on https or a local address (ssh -L 6080:127.0.0.1:6080 ...)'
        : ctx ? 'mute or unmute the game' : 'browsers play sound after a click';
    button.dataset.state = state;
    button.dataset.muted = muted ? '1' : '0';
}

function setState(s) {
    state = s;
    render();
}

function setMuted(m) {
    muted = m;
    localStorage.setItem(MUTE_KEY, m ? '1' : '0');
    if (output) output.gain.value = m ? 0 : 1;
    render();
}

// ------------------------------------------------------------------ audio

// Made inside a click or key handler: the browser then lets it run.
function unlock() {
    if (ctx) {
        if (ctx.state === 'suspended') ctx.resume();
        return;
    }
    if (!window.isSecureContext || typeof AudioWorkletNode === 'undefined') {
        setState('insecure');
        return;
    }
    // The stream's own rate: the browser resamples to the device, better
    // than the worklet's straight lines would.
    ctx = new AudioContext({ sampleRate: 44100, latencyHint: 'interactive' });
    output = ctx.createGain();
    output.gain.value = muted ? 0 : 1;
    output.connect(ctx.destination);
    render();
    const base = new URL('.', import.meta.url);
    ctx.audioWorklet.addModule(new URL('dockerdoom-audio-worklet.js', base)).then(() => {
        const node = new AudioWorkletNode(ctx, 'dockerdoom-player', { outputChannelCount: [2] });
        node.connect(output);
        node.port.onmessage = (e) => Object.assign(stats, e.data.stats);
        worker = new Worker(new URL('dockerdoom-audio-worker.js', base), { type: 'module' });
        worker.onmessage = (e) => fromWorker(e.data);
        const ch = new MessageChannel();
        node.port.postMessage({ port: ch.port1 }, [ch.port1]);
        worker.postMessage({ port: ch.port2 }, [ch.port2]);
        ready = true;
        maybeStart();
    }, () => setState('unavailable'));
}

function fromWorker(m) {
    stats.bytes = m.bytes;
    if (!m.state) return;
    if (m.state === 'starting' || m.state === 'playing') {
        if (m.state === 'playing') retryDelay = 2000;
        setState(m.state);
        return;
    }
    streaming = false;
    if (m.state === 'refused') {
        refused = true;
        setState('refused');
        return;
    }
    setState(m.streamed ? 'waiting' : 'unavailable');
    scheduleRetry();
}

function scheduleRetry() {
    if (retryTimer || refused || !connected) return;
    retryTimer = setTimeout(() => {
        retryTimer = null;
        maybeStart();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
}

function maybeStart() {
    if (!connected || !ready || streaming || refused || password === null) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    streaming = true;
    worker.postMessage({ open: `${proto}//${location.host}/websockify?token=audio`, password });
}

function stop() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    if (worker && streaming) worker.postMessage({ close: true });
    streaming = false;
    if (state !== 'refused' && state !== 'insecure') setState('waiting');
}

// ------------------------------------------------------------------ noVNC

// The password typed into noVNC's dialog, read before noVNC clears it
// (the Enter key submits through a click on the same button).
document.addEventListener('click', (e) => {
    if (e.target && e.target.id === 'noVNC_credentials_button') {
        const input = document.getElementById('noVNC_password_input');
        if (input) {
            password = input.value;
            refused = false;
        }
    }
}, true);

// Any click, touch or key in the page is the gesture that allows sound.
for (const type of ['pointerdown', 'keydown', 'touchstart']) {
    window.addEventListener(type, (e) => {
        if (e.isTrusted) unlock();
    }, true);
}

// noVNC marks <html> with noVNC_connected while its connection is up.
new MutationObserver(() => {
    const now = document.documentElement.classList.contains('noVNC_connected');
    if (now === connected) return;
    connected = now;
    if (connected) maybeStart();
    else stop();
}).observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });

function attach() {
    document.body.appendChild(button);
    render();
}
if (document.body) attach();
else document.addEventListener('DOMContentLoaded', attach);

window.dockerdoomAudio = {
    get context() { return ctx; },
    get output() { return output; },
    get state() { return state; },
    get muted() { return muted; },
    stats,
    setMuted,
};
