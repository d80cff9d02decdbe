// SPDX-License-Identifier: GPL-2.0-or-later
// dockerdoom-audio-worker.js - reads the game's sound from its websocket
// (websockify?token=audio, ddaudio behind it) off the page's main thread,
// answers the password challenge as VNC's is answered (noVNC's DES), and
// hands the samples to the player worklet through the port it is given.
//
// From the page: {port} (once), {open: URL, password}, {close: true}.
// To the page:   {state: 'starting'|'playing'|'refused'|'closed', bytes},
//                and {bytes} twice a second while samples come.
// To the worklet (port): {format: {rate, channels}}, {pcm: Int16Array}.

import DES from './core/des.js';

let ws = null;
let port = null;        // to the worklet

function open(url, password) {
    let phase = 'hello';
    let held = new Uint8Array(0);
    let frame = 4;
    let bytes = 0;
    let told = 0;
    const sock = new WebSocket(url, ['binary']);
    sock.binaryType = 'arraybuffer';
    ws = sock;
    postMessage({ state: 'starting', bytes });

    const take = (n) => {
        const out = held.slice(0, n);
        held = held.subarray(n);
        return out;
    };

    sock.onmessage = (ev) => {
        const data = new Uint8Array(ev.data);
        if (held.length) {
            const all = new Uint8Array(held.length + data.length);
            all.set(held);
            all.set(data, held.length);
            held = all;
        } else {
            held = data;
        }
        if (phase === 'hello' && held.length >= 20) {
            const hello = take(20);
            if (String.fromCharCode(...hello.subarray(0, 4)) !== 'DDA1') {
                sock.close();
                return;
            }
            const key = Array.from(password, (c) => c.charCodeAt(0));
            sock.send(new Uint8Array(new DES(key).encrypt(Array.from(hello.subarray(4)))));
            phase = 'answered';
        }
        if (phase === 'answered' && held.length >= 8) {
            const f = take(8);
            const rate = f[0] | (f[1] << 8) | (f[2] << 16) | (f[3] << 24);
            const channels = f[4];
            if (f[5] !== 16 || channels < 1 || channels > 2 || rate < 8000) {
                sock.close();
                return;
            }
            frame = 2 * channels;
            port.postMessage({ format: { rate, channels } });
            phase = 'pcm';
            postMessage({ state: 'playing', bytes });
        }
        if (phase === 'pcm' && held.length >= frame) {
            const n = held.length - held.length % frame;
            const chunk = take(n);
            const pcm = new Int16Array(chunk.buffer, chunk.byteOffset, n / 2);
            bytes += n;
            port.postMessage({ pcm }, [pcm.buffer]);
            if (Date.now() - told > 500) {
                told = Date.now();
                postMessage({ bytes });
            }
        }
    };
    sock.onclose = () => {
        if (ws !== sock) return;
        ws = null;
        // Closed right after our answer: the password was wrong.
        postMessage({ state: phase === 'answered' ? 'refused' : 'closed', bytes, streamed: phase === 'pcm' });
    };
}

onmessage = (e) => {
    if (e.data.port) {
        port = e.data.port;
    } else if (e.data.open) {
        if (ws) ws.close();
        open(e.data.open, e.data.password);
    } else if (e.data.close && ws) {
        const sock = ws;
        ws = null;
        sock.close();
    }
};
