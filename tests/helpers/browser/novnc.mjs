// novnc.mjs - open the noVNC page in Debian's headless chromium, connect
// with a password, play a few steps, save screenshots, report facts.
// SPDX-License-Identifier: GPL-2.0-or-later
//
// usage: node novnc.mjs --web-port N --password PW [--host 127.0.0.1]
//                       [--timeout MS] [--expect-failure] [STEP...]
// steps: type:TEXT  press:KEY  down:KEY  up:KEY  hold:KEY:MS  wait:MS
//        shot:FILE.png (the whole page)  canvas:FILE.png (the VNC canvas)
//   KEY is a Playwright key name: ArrowUp, Control, Enter, Escape, a, ...
//
// Prints one "name: value" fact a line on stdout, for the calling shell
// test to assert on:
//   status: <noVNC's status text>   connected: yes|no
//   canvas: WxH colours=N nonblack=PERCENT   (sampled on a 32x24 grid)
//   shot: FILE
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
        else if (a.startsWith('--')) usage(`unknown option ${a}`);
        else o.steps.push(a);
    }
    if (!Number.isInteger(o.webPort) || o.webPort <= 0) usage('--web-port is required');
    if (o.password === undefined) usage('--password is required');
    for (const s of o.steps) {
        if (!/^(type|press|down|up|hold|wait|shot|canvas):/.test(s)) usage(`bad step '${s}'`);
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

// Runs one step against the page.
async function runStep(page, step) {
    const colon = step.indexOf(':');
    const op = step.slice(0, colon);
    const arg = step.slice(colon + 1);
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
            password: o.password, resize: 'off', reconnect: '0',
        });
        await page.goto(`http://${o.host}:${o.webPort}/vnc.html?${q}`);
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
