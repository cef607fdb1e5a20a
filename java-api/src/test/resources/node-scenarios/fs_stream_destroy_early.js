// fs streams destroyed early: a read stream destroyed before it opened (the open completes:
// 'open', 'ready', then 'close'), one destroyed after its first chunk (no 'end'), close(cb) on
// a read stream, a write stream destroyed while opening (its buffered write's callback gets
// ERR_STREAM_DESTROYED first, nothing is written).
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
fs.writeFileSync(d + '/f', 'x'.repeat(100));
function events(label, s) {
  for (const ev of ['open', 'ready', 'end', 'finish', 'close']) s.on(ev, () => log(label + ' ' + ev));
  s.on('error', (e) => log(label + ' error ' + e.code));
}
const steps = [
  (next) => {
    const rs = fs.createReadStream(d + '/f');
    events('rs1', rs);
    rs.on('data', () => log('rs1 data (never)'));
    rs.destroy();
    log('rs1 destroyed, pending ' + rs.pending);
    rs.on('close', next);
  },
  (next) => {
    const rs = fs.createReadStream(d + '/f', { highWaterMark: 10 });
    events('rs2', rs);
    let n = 0;
    rs.on('data', (c) => {
      n++;
      log('rs2 data ' + c.length);
      rs.destroy();
    });
    rs.on('close', () => {
      log('rs2 chunks ' + n + ' bytesRead ' + rs.bytesRead);
      next();
    });
  },
  (next) => {
    const rs = fs.createReadStream(d + '/f');
    events('rs3', rs);
    rs.close(() => {
      log('rs3 close cb');
      next();
    });
  },
  (next) => {
    const ws = fs.createWriteStream(d + '/w');
    events('ws', ws);
    ws.write('abc', (err) => log('ws write cb ' + (err && err.code)));
    ws.destroy();
    ws.on('close', () => {
      log('ws exists ' + fs.existsSync(d + '/w') + ' size ' + fs.statSync(d + '/w').size);
      next();
    });
  },
];
let i = 0;
(function next() {
  if (i < steps.length) steps[i++](next);
  else setTimeout(() => {
    fs.rmSync(d, { recursive: true });
    log('done');
  }, 10);
})();
