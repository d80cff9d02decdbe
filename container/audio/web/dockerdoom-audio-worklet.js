// SPDX-License-Identifier: GPL-2.0-or-later
// dockerdoom-audio-worklet.js - plays the game's samples on the browser's
// audio thread (an AudioWorkletProcessor), fed straight from the worker
// that reads the websocket: neither waits for the page's main thread,
// which is busy drawing noVNC's frames.
//
// It keeps a lead: sound buffered ahead of the output, to ride out the
// hiccups of the network and of a loaded machine. Too little and it runs
// dry (an underrun: a gap), too much and the sound lags the picture.
// An underrun within 10 s of the last one adds 20 ms (up to 150): a lone
// stall, which no lead would have covered, adds nothing. 5 s without an
// underrun take 10 ms off (down to 40). When for a whole second the
// buffer never fell below the lead plus 20 ms (a burst came in after a
// stall), the excess is left out, in silence when there is some within a
// second.

const LEAD_MIN = 0.04;
const LEAD_MAX = 0.15;
const LEAD_STEP = 0.02;
const LEAD_EASE = 5;
const UNDERRUNS_NEAR = 10;   // s: two underruns this close raise the lead
const SLACK = 0.02;
const QUIET = 0.002;
const RING = 1 << 16;       // frames: 1.4 s at 44.1 kHz

class Player extends AudioWorkletProcessor {
    constructor() {
        super();
        this.ring = [new Float32Array(RING), new Float32Array(RING)];
        this.w = 0;                     // frames written (ring index: % RING)
        this.r = 0;                     // read position, in stream frames
        this.rate = sampleRate;         // the stream's rate (format message)
        this.channels = 2;
        this.lead = LEAD_MIN;
        this.playing = false;
        this.least = Infinity;          // least fill seen in this window
        this.windowLeft = sampleRate;   // output frames until the window ends
        this.excess = 0;                // stream frames to leave out
        this.excessAge = 0;             // output frames since it was found
        this.calm = 0;                  // output frames since the last underrun
        this.sinceUnderrun = Infinity;  // the same, but not reset by easing
        // gapMs: the longest wait for a chunk so far (the network's and the
        // machine's hiccups, which the lead rides out).
        this.stats = { underruns: 0, droppedMs: 0, lead: this.lead, fillMs: 0, gapMs: 0 };
        this.lastChunk = -1;
        this.gap = 0;
        this.report = 0;
        this.port.onmessage = (e) => {
            if (e.data.port) {
                e.data.port.onmessage = (m) => this.take(m.data);
            }
        };
    }

    // A format ({rate, channels}) or a chunk of s16 samples (Int16Array).
    take(d) {
        if (d.format) {
            this.rate = d.format.rate;
            this.channels = d.format.channels;
            this.w = 0;
            this.r = 0;
            this.playing = false;
            return;
        }
        if (this.lastChunk >= 0) this.gap = Math.max(this.gap, currentTime - this.lastChunk);
        this.lastChunk = currentTime;
        const s = d.pcm;
        const ch = this.channels;
        const frames = Math.floor(s.length / ch);
        if (this.w + frames - this.r >= RING) return;    // full: cannot happen at a sane lead
        for (let i = 0; i < frames; i++) {
            const k = (this.w + i) % RING;
            const l = s[i * ch] / 32768;
            this.ring[0][k] = l;
            this.ring[1][k] = ch > 1 ? s[i * ch + 1] / 32768 : l;
        }
        this.w += frames;
    }

    // Whether the next n stream frames are all quiet.
    quiet(n) {
        for (let i = 0; i < n; i++) {
            const k = (Math.floor(this.r) + i) % RING;
            if (Math.abs(this.ring[0][k]) > QUIET || Math.abs(this.ring[1][k]) > QUIET) return false;
        }
        return true;
    }

    process(inputs, outputs) {
        const out = outputs[0];
        const n = out[0].length;
        const step = this.rate / sampleRate;
        const need = Math.ceil(n * step) + 1;
        let fill = this.w - this.r;

        if (!this.playing && fill >= this.lead * this.rate) {
            this.playing = true;
            this.least = Infinity;
            this.windowLeft = sampleRate;
        }
        this.sinceUnderrun += n;
        if (this.playing && fill < need) {
            this.playing = false;
            this.stats.underruns++;
            if (this.sinceUnderrun < UNDERRUNS_NEAR * sampleRate) {
                this.lead = Math.min(this.lead + LEAD_STEP, LEAD_MAX);
            }
            this.sinceUnderrun = 0;
            this.calm = 0;
            this.excess = 0;
        }
        if (this.playing) {
            this.least = Math.min(this.least, fill);
            this.calm += n;
            if (this.calm > LEAD_EASE * sampleRate && this.lead > LEAD_MIN) {
                this.lead = Math.max(this.lead - 0.01, LEAD_MIN);
                this.calm = 0;
            }
            this.windowLeft -= n;
            if (this.windowLeft <= 0) {
                const over = this.least - (this.lead + SLACK) * this.rate;
                if (over > 0 && this.excess === 0) {
                    this.excess = this.least - this.lead * this.rate;
                    this.excessAge = 0;
                }
                this.least = Infinity;
                this.windowLeft = sampleRate;
            }
            if (this.excess > 0) {
                this.excessAge += n;
                const cut = Math.min(this.excess, fill - need);
                if (cut > 0 && (this.quiet(cut) || this.excessAge > sampleRate)) {
                    this.r += cut;
                    this.excess = 0;
                    this.stats.droppedMs += cut / this.rate * 1000;
                }
            }
            for (let i = 0; i < n; i++) {
                const p = this.r + i * step;
                const k = Math.floor(p);
                const f = p - k;
                for (let c = 0; c < out.length; c++) {
                    const ring = this.ring[Math.min(c, 1)];
                    const a = ring[k % RING], b = ring[(k + 1) % RING];
                    out[c][i] = a + (b - a) * f;
                }
            }
            this.r += n * step;
            fill = this.w - this.r;
        } else {
            for (const o of out) o.fill(0);
        }

        this.report += n;
        if (this.report >= sampleRate / 2) {
            this.report = 0;
            this.stats.lead = this.lead;
            this.stats.fillMs = Math.max(fill, 0) / this.rate * 1000;
            this.stats.gapMs = this.gap * 1000;
            this.port.postMessage({ stats: this.stats });
        }
        return true;
    }
}

registerProcessor('dockerdoom-player', Player);
