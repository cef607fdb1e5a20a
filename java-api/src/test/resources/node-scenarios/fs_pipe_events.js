// fs.createReadStream(...).pipe(fs.createWriteStream(...)): the order of the read side's 'end'
// and the write side's 'finish', 'unpipe' and 'close'. The read side's 'close' (its fd closed on
// the pool) races with the write side's last write and close (also on the pool), in Node as in
// uv4j, so only whether it came is printed, at exit.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
fs.writeFileSync(path.join(dir, 'in'), 'x'.repeat(100));
const rs = fs.createReadStream(path.join(dir, 'in'), { highWaterMark: 64 });
const ws = fs.createWriteStream(path.join(dir, 'out'));
let chunks = 0;
rs.on('data', () => chunks++);
rs.on('end', () => log('rs end after ' + chunks + ' chunks'));
let rsClosed = false;
rs.on('close', () => { rsClosed = true; });
ws.on('pipe', () => log('ws pipe'));
ws.on('unpipe', () => log('ws unpipe'));
ws.on('finish', () => log('ws finish'));
ws.on('close', () => {
  log('ws close ' + fs.readFileSync(path.join(dir, 'out'), 'utf8').length);
  fs.rmSync(dir, { recursive: true });
});
process.on('exit', () => log('rs closed ' + rsClosed));
rs.pipe(ws);
log('main');
