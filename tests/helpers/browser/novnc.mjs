// novnc.mjs - open the noVNC page in Debian's headless chromium, connect
// with a password, play a few steps, save screenshots, report facts.
// SPDX-License-Identifier: GPL-2.0-or-later
//
// usage: node novnc.mjs --web-port N --password PW [--host 127.0.0.1]
//                       [--type-password] [--timeout MS] [--expect-failure]
//                       [STEP...]
// --type-password: the password is not put in the address; it is typed
// into noVNC's dialog and sent with Enter, as a player does.
// steps: type:TEXT  press:KEY  down:KEY  up:KEY  hold:KEY:MS  wait:MS
//        shot:FILE.png (the whole page)  canvas:FILE.png (the VNC canvas)
//        click:canvas | click:X,Y   a real click (the canvas's middle, or
//                     page coordinates)
//        sound:MS     the level of the page's sound output for MS ms
//                     (an AnalyserNode on the node after the mute)
//        mute, unmute click the page's sound button if it is not so
//        probe:PW|-   a second audio websocket in the page, answered with
//                     PW (or not at all: -): bytes that come for 2 s
//        latency:N    N pistol shots (Control): from the key to the sound
//                     at the page's output
//   KEY is a Playwright key name: ArrowUp, Control, Enter, Escape, a, ...
//
// Prints one "name: value" fact a line on stdout, for the calling shell
// test to assert on:
//   status: <noVNC's status text>   connected: yes|no
//   canvas: WxH colours=N nonblack=PERCENT   (sampled on a 32x24 grid)
//   shot: FILE
//   sound: peak=P rms=R state=S bytes=N muted=0|1   (P, R in 0..1)
//   button: <its text> muted=0|1
//   probe: hello=N after=N closed=yes|no   (bytes: the 20 of the
//          challenge, and all that came after)
//   latency: n=N median=MS min=MS max=MS missed=N
//   latency-ms: MS MS ...   keys: EPOCH-MS ...   onsets: EPOCH-MS ...
//          (for the benchmark: each key press, each sound's output time)
//   audio: state=S bytes=N underruns=N dropped-ms=MS lead-ms=MS fill-ms=MS
//          gap-ms=MS (the longest wait for a chunk)
// Exit: 0 when connected (or, with --expect-failure, when noVNC reported
// an error), 1 otherwise, 2 on bad usage.

import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function usage(msg) {
    console.error(`novnc.mjs: ${msg}`);
    process.exit(2);
}

// Splits the command line into options and steps.
function parseArgs(argv) {
    const o = { host: '127.0.0.1', timeout: 20000, expectFailure: false, steps: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const next = () => {
            if (i + 1 >= argv.length) usage(`${a} needs a value`);
            return argv[++i];
        };
        if (a === '--web-port') o.webPort = Number(next());
        else if (a === '--password') o.password = next();
        else if (a === '--host') o.host = next();
        else if (a === '--timeout') o.timeout = Number(next());
        else if (a === '--expect-failure') o.expectFailure = true;
        else if (a === '--type-password') o.typePassword = true;
        else if (a.startsWith('--')) usage(`unknown option ${a}`);
        else o.steps.push(a);
    }
    if (!Number.isInteger(o.webPort) || o.webPort <= 0) usage('--web-port is required');
    if (o.password === undefined) usage('--password is required');
    for (const s of o.steps) {
        if (!/^((type|press|down|up|hold|wait|shot|canvas|click|sound|probe|latency):|mute$|unmute$)/.test(s)) {
            usage(`bad step '${s}'`);
        }
    }
    return o;
}

// Samples the VNC canvas on a grid in the page: a blank (one colour) or
// black canvas means nothing was drawn.
async function sampleCanvas(page) {
    return page.evaluate(() => {
        const c = document.querySelector('#noVNC_container canvas');
        if (!c || !c.width || !c.height) return { w: 0, h: 0, colours: 0, nonblack: 0 };
        const ctx = c.getContext('2d');
        const seen = new Set();
        let nonblack = 0, n = 0;
        for (let gy = 0; gy < 24; gy++) {
            for (let gx = 0; gx < 32; gx++) {
                const x = Math.floor((gx + 0.5) * c.width / 32);
                const y = Math.floor((gy + 0.5) * c.height / 24);
                const d = ctx.getImageData(x, y, 1, 1).data;
                seen.add((d[0] << 16) | (d[1] << 8) | d[2]);
                if (d[0] + d[1] + d[2] > 30) nonblack++;
                n++;
            }
        }
        return { w: c.width, h: c.height, colours: seen.size, nonblack: Math.round(100 * nonblack / n) };
    });
}

// The level of the page's sound output over ms milliseconds: an
// AnalyserNode on dockerdoom-audio.js's output node (after the mute), read
// every 20 ms (each read holds the last 46 ms).
async function soundLevel(page, ms) {
    return page.evaluate(async (ms) => {
        const a = window.dockerdoomAudio;
        if (!a || !a.context || !a.output) {
            return { peak: -1, rms: -1, state: a ? a.state : 'no-script', bytes: 0, muted: 0 };
        }
        if (!window.ddTestAnalyser) {
            window.ddTestAnalyser = a.context.createAnalyser();
            window.ddTestAnalyser.fftSize = 2048;
            a.output.connect(window.ddTestAnalyser);
        }
        const an = window.ddTestAnalyser;
        const d = new Float32Array(an.fftSize);
        let peak = 0, sum = 0, n = 0;
        const end = performance.now() + ms;
        while (performance.now() < end) {
            an.getFloatTimeDomainData(d);
            for (const x of d) {
                peak = Math.max(peak, Math.abs(x));
                sum += x * x;
                n++;
            }
            await new Promise((r) => setTimeout(r, 20));
        }
        return { peak, rms: Math.sqrt(sum / Math.max(n, 1)), state: a.state,
                 bytes: a.stats.bytes, muted: a.muted ? 1 : 0 };
    }, ms);
}

// Opens the audio websocket from the page, as dockerdoom-audio.js does,
// answers the challenge with pw (null: no answer) and counts what comes
// in 2 s.
async function probeAudio(page, pw) {
    return page.evaluate(async (pw) => {
        const { default: DES } = await import(new URL('core/des.js', location.href).href);
        return new Promise((resolve) => {
            const ws = new WebSocket(`ws://${location.host}/websockify?token=audio`, ['binary']);
            ws.binaryType = 'arraybuffer';
            let total = 0, closed = false, answered = false;
            let head = new Uint8Array(0);
            ws.onmessage = (ev) => {
                const d = new Uint8Array(ev.data);
                total += d.length;
                if (answered || pw === null) return;
                const h = new Uint8Array(head.length + d.length);
                h.set(head);
                h.set(d, head.length);
                head = h;
                if (head.length >= 20) {
                    const key = Array.from(pw, (c) => c.charCodeAt(0));
                    ws.send(new Uint8Array(new DES(key).encrypt(Array.from(head.subarray(4, 20)))));
                    answered = true;
                }
            };
            ws.onclose = () => { closed = true; };
            setTimeout(() => {
                const wasClosed = closed;
                ws.close();
                resolve({ hello: Math.min(total, 20), after: Math.max(total - 20, 0), closed: wasClosed });
            }, 2000);
        });
    }, pw);
}

// Starts watching the page's output for sounds that begin after 150 ms
// of silence; each one's time at the output (epoch ms, from the
// AudioContext's output timestamp) goes into window.ddOnsets.
async function watchOnsets(page) {
    await page.evaluate(() => {
        if (window.ddOnsets) return;
        const a = window.dockerdoomAudio;
        const ctx = a.context;
        // 186 ms of samples: a late poll still sees where a sound began.
        const an = ctx.createAnalyser();
        an.fftSize = 8192;
        a.output.connect(an);
        const d = new Float32Array(an.fftSize);
        window.ddOnsets = [];
        let lastLoud = -1e9;
        setInterval(() => {
            an.getFloatTimeDomainData(d);
            const end = ctx.currentTime;
            let first = -1, last = -1;
            for (let i = 0; i < d.length; i++) {
                if (Math.abs(d[i]) > 0.01) {
                    if (first < 0) first = i;
                    last = i;
                }
            }
            if (first < 0) return;
            const tFirst = end - (d.length - first) / ctx.sampleRate;
            if (tFirst - lastLoud > 0.15) {
                const ts = ctx.getOutputTimestamp();
                window.ddOnsets.push(performance.timeOrigin + ts.performanceTime +
                                     (tFirst - ts.contextTime) * 1000);
            }
            lastLoud = Math.max(lastLoud, end - (d.length - last) / ctx.sampleRate);
        }, 10);
    });
}

// n pistol shots, each from a silent start: the time from the key going
// down to the sound at the page's output.
async function measureLatency(page, n) {
    await watchOnsets(page);
    const lat = [];
    const keys = [];
    let missed = 0;
    for (let i = 0; i < n; i++) {
        await page.waitForTimeout(900);
        const t0 = Date.now();
        keys.push(t0);
        await page.keyboard.down('Control');
        await page.waitForTimeout(80);
        await page.keyboard.up('Control');
        await page.waitForTimeout(700);
        const onsets = await page.evaluate(() => window.ddOnsets);
        const on = onsets.find((t) => t > t0);
        if (on === undefined) missed++;
        else lat.push(on - t0);
    }
    const sorted = [...lat].sort((a, b) => a - b);
    const ms = (x) => x === undefined ? 'none' : x.toFixed(1);
    console.log(`latency: n=${lat.length} median=${ms(sorted[Math.floor((sorted.length - 1) / 2)])}` +
                ` min=${ms(sorted[0])} max=${ms(sorted[sorted.length - 1])} missed=${missed}`);
    console.log(`latency-ms: ${lat.map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`keys: ${keys.join(' ')}`);
    const onsets = await page.evaluate(() => window.ddOnsets);
    console.log(`onsets: ${onsets.map((x) => x.toFixed(1)).join(' ')}`);
}

// Clicks the sound button if the page's mute is not already as wanted.
async function setMute(page, want) {
    const b = page.locator('#dockerdoom_sound');
    if ((await b.getAttribute('data-muted')) !== (want ? '1' : '0')) await b.click();
    console.log(`button: ${(await b.textContent()).trim()} muted=${await b.getAttribute('data-muted')}`);
}

// Runs one step against the page.
async function runStep(page, step) {
    const colon = step.indexOf(':');
    const op = colon < 0 ? step : step.slice(0, colon);
    const arg = colon < 0 ? '' : step.slice(colon + 1);
    switch (op) {
    case 'type': await page.keyboard.type(arg, { delay: 60 }); break;
    case 'press': await page.keyboard.press(arg, { delay: 60 }); break;
    case 'down': await page.keyboard.down(arg); break;
    case 'up': await page.keyboard.up(arg); break;
    case 'hold': {
        const k = arg.lastIndexOf(':');
        if (k < 0) usage(`hold wants KEY:MS, got '${arg}'`);
        await page.keyboard.down(arg.slice(0, k));
        await page.waitForTimeout(Number(arg.slice(k + 1)));
        await page.keyboard.up(arg.slice(0, k));
        break;
    }
    case 'wait': await page.waitForTimeout(Number(arg)); break;
    case 'shot':
        await page.screenshot({ path: arg });
        console.log(`shot: ${arg}`);
        break;
    case 'canvas':
        await page.locator('#noVNC_container canvas').screenshot({ path: arg });
        console.log(`shot: ${arg}`);
        break;
    case 'click':
        if (arg === 'canvas') {
            await page.locator('#noVNC_container canvas').click();
        } else {
            const [x, y] = arg.split(',').map(Number);
            await page.mouse.click(x, y);
        }
        break;
    case 'sound': {
        const l = await soundLevel(page, Number(arg));
        console.log(`sound: peak=${l.peak.toFixed(4)} rms=${l.rms.toFixed(4)} state=${l.state}` +
                    ` bytes=${l.bytes} muted=${l.muted}`);
        break;
    }
    case 'mute': await setMute(page, true); break;
    case 'unmute': await setMute(page, false); break;
    case 'probe': {
        const r = await probeAudio(page, arg === '-' ? null : arg);
        console.log(`probe: hello=${r.hello} after=${r.after} closed=${r.closed ? 'yes' : 'no'}`);
        break;
    }
    case 'latency': await measureLatency(page, Number(arg)); break;
    }
}

// What dockerdoom-audio.js says about its stream, if the page has it.
async function audioFacts(page) {
    const a = await page.evaluate(() => {
        const a = window.dockerdoomAudio;
        return a ? { state: a.state, ...a.stats } : null;
    });
    if (a) {
        console.log(`audio: state=${a.state} bytes=${a.bytes} underruns=${a.underruns}` +
                    ` dropped-ms=${Math.round(a.droppedMs)} lead-ms=${Math.round(a.lead * 1000)}` +
                    ` fill-ms=${Math.round(a.fillMs)} gap-ms=${Math.round(a.gapMs)}`);
    }
}

async function main() {
    const o = parseArgs(process.argv.slice(2));
    // A fresh profile each run: no cached page, no saved settings.
    const profile = mkdtempSync(join(tmpdir(), 'ddnovnc-'));
    let ctx;
    let rc = 1;
    try {
        ctx = await chromium.launchPersistentContext(profile, {
            executablePath: '/usr/bin/chromium',
            headless: true,
            viewport: { width: 800, height: 600 },
            args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic',
                '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync'],
        });
        const page = ctx.pages()[0] || await ctx.newPage();
        const q = new URLSearchParams({
            autoconnect: '1', host: o.host, port: String(o.webPort),
            resize: 'off', reconnect: '0',
        });
        if (!o.typePassword) q.set('password', o.password);
        await page.goto(`http://${o.host}:${o.webPort}/vnc.html?${q}`);
        if (o.typePassword) {
            // noVNC asks once the server wants a password.
            const input = page.locator('#noVNC_password_input');
            await input.waitFor({ state: 'visible', timeout: o.timeout });
            await input.pressSequentially(o.password, { delay: 30 });
            await input.press('Enter');
        }
        // noVNC 1.3 puts the class on <html> once the RFB handshake is done
        // and shows "Connected (unencrypted) to <desktop>"; on failure the
        // status element gets noVNC_status_error.
        const outcome = await page.waitForFunction(() => {
            const html = document.documentElement;
            const st = document.getElementById('noVNC_status');
            if (html.classList.contains('noVNC_connected')) return 'connected';
            if (st && st.classList.contains('noVNC_status_error')) return 'error';
            return false;
        }, null, { timeout: o.timeout, polling: 100 }).then(h => h.jsonValue(), () => 'timeout');
        const status = await page.locator('#noVNC_status').textContent();
        console.log(`status: ${(status || '').trim()}`);
        console.log(`connected: ${outcome === 'connected' ? 'yes' : 'no'}`);
        if (outcome === 'connected') {
            // The first full frame may still be on its way.
            await page.waitForFunction(() => {
                const c = document.querySelector('#noVNC_container canvas');
                return c && c.width > 0 && c.height > 0;
            }, null, { timeout: o.timeout, polling: 100 });
            await page.waitForTimeout(500);
            for (const s of o.steps) await runStep(page, s);
            const c = await sampleCanvas(page);
            console.log(`canvas: ${c.w}x${c.h} colours=${c.colours} nonblack=${c.nonblack}`);
            await audioFacts(page);
            rc = o.expectFailure ? 1 : 0;
        } else {
            for (const s of o.steps.filter(s => s.startsWith('shot:'))) await runStep(page, s);
            rc = o.expectFailure && outcome === 'error' ? 0 : 1;
        }
    } catch (e) {
        console.error(`novnc.mjs: ${e && e.message ? e.message : e}`);
        rc = 1;
    } finally {
        if (ctx) await ctx.close().catch(() => {});
        rmSync(profile, { recursive: true, force: true });
    }
    process.exit(rc);
}

main();
