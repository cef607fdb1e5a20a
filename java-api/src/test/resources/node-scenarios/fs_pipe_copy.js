// readable.pipe(writable) with backpressure: a 3 MiB file through 64 KiB reads into a write
// stream whose write() returns false for every chunk (16 KiB mark); the copy is byte-identical.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const src = path.join(dir, 'src.bin');
const dst = path.join(dir, 'dst.bin');
const data = Buffer.alloc(3 * 1024 * 1024 + 123);
for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 11)) & 0xff;
fs.writeFileSync(src, data);
const rs = fs.createReadStream(src);
const ws = fs.createWriteStream(dst);
let chunks = 0;
let drains = 0;
let paused = 0;
rs.on('data', () => chunks++);
rs.on('pause', () => paused++);
ws.on('drain', () => drains++);
rs.on('end', () => log('source end'));
ws.on('finish', () => log('destination finish'));
ws.on('close', () => {
  log('chunks ' + chunks + ', drains ' + drains + ', pauses ' + paused);
  fs.readFile(dst, (err, copy) => {
    log('copy ' + copy.length + ' bytes, identical ' + copy.equals(data));
    fs.rm(dir, { recursive: true }, () => log('cleaned up'));
  });
});
log('piping ' + (rs.pipe(ws) === ws));
