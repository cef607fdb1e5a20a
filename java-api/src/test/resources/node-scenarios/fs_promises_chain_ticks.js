// fs.promises reactions run as microtasks of the completion callback: ticks queued in a reaction
// run after the rest of that promise chain's ready microtasks; a rejection goes to catch.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const file = path.join(dir, 'f.txt');
fs.promises.writeFile(file, 'hello')
  .then(() => {
    log('written');
    process.nextTick(() => log('tick after written'));
    queueMicrotask(() => log('micro after written'));
    return fs.promises.readFile(file, 'utf8');
  })
  .then((text) => {
    log('read ' + text);
    fs.stat(file, (err, st) => {
      log('callback stat size ' + st.size);
      process.nextTick(() => log('tick from stat callback'));
      fs.promises.stat(path.join(dir, 'missing'))
        .then(() => log('never'))
        .catch((e) => {
          log('missing ' + e.code + ' ' + e.syscall);
          return fs.promises.rm(dir, { recursive: true });
        })
        .then(() => log('removed'));
      Promise.resolve().then(() => log('promise from stat callback'));
    });
    return 'chain value';
  })
  .then((v) => log('then ' + v));
process.nextTick(() => log('tick from main'));
log('main');
