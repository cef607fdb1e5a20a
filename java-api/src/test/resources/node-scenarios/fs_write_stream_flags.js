// createWriteStream: flags 'a' appends, 'wx' on an existing file is 'error' then 'close' (no
// 'open'), start writes in place with 'r+'; write callbacks, 'finish', 'close', bytesWritten,
// pending, and write after end (ERR_STREAM_WRITE_AFTER_END).
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const f = d + '/f';
fs.writeFileSync(f, 'abcdef');
function append(next) {
  const ws = fs.createWriteStream(f, { flags: 'a' });
  log('append pending ' + ws.pending);
  ws.on('open', () => log('append open, pending ' + ws.pending));
  ws.on('ready', () => log('append ready'));
  ws.write('GH', (err) => log('append write cb ' + err));
  ws.end(() => log('append end cb'));
  ws.on('finish', () => log('append finish'));
  ws.on('close', () => {
    log('append close ' + ws.bytesWritten + ' ' + fs.readFileSync(f, 'utf8'));
    next();
  });
}
function exclusive(next) {
  const ws = fs.createWriteStream(f, { flags: 'wx' });
  ws.on('open', () => log('wx open (never)'));
  ws.on('error', (e) => log('wx error ' + e.code + ' ' + e.syscall + ' destroyed ' + ws.destroyed));
  ws.on('finish', () => log('wx finish (never)'));
  ws.on('close', () => {
    log('wx close');
    next();
  });
  ws.write('x', (err) => log('wx write cb ' + (err && err.code)));
}
function inPlace(next) {
  const ws = fs.createWriteStream(f, { flags: 'r+', start: 2 });
  ws.write('ZZ');
  ws.end('Y', () => {
    log('in place end cb ' + fs.readFileSync(f, 'utf8'));
  });
  ws.on('close', () => {
    log('in place close');
    ws.write('late', (err) => log('late write cb ' + err.code));
    ws.on('error', (e) => log('late error ' + e.code + ': ' + e.message));
    next();
  });
}
function done() {
  setTimeout(() => {
    fs.rmSync(d, { recursive: true });
    log('done');
  }, 20);
}
append(() => exclusive(() => inPlace(done)));
