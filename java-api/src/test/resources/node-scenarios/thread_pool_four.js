// Eight fs.open() calls on FIFOs: each blocks a libuv pool thread until a writer opens the FIFO.
// With the default pool of 4, exactly four opens are in progress at a time. We count the threads
// blocked in openat(2) from /proc (no timing decides anything), then release one batch by opening
// the FIFOs for writing, in order, until four were released (a non-blocking open for writing fails
// with ENXIO on a FIFO nobody is opening for reading).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const OPENAT = process.arch === 'arm64' ? '56' : '257';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-fifo-'));
const fifos = [];
for (let i = 0; i < 8; i++) {
  fifos.push(path.join(dir, 'f' + i));
  execFileSync('mkfifo', [fifos[i]]);
}
let done = 0;
const released = new Set();
for (let i = 0; i < 8; i++) {
  fs.open(fifos[i], 'r', (err, fd) => {
    fs.closeSync(fd);
    if (++done === 8) {
      console.log('all 8 opens done');
      for (const f of fifos) fs.unlinkSync(f);
      fs.rmdirSync(dir);
    }
  });
}
function threadsInOpen() {
  let n = 0;
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      if (fs.readFileSync('/proc/self/task/' + tid + '/syscall', 'utf8').split(' ')[0] === OPENAT) n++;
    } catch (e) { /* the thread ended */ }
  }
  return n;
}
function waitForBatch(batch) {
  const blocked = threadsInOpen();
  if (blocked < 4 && released.size + blocked < 8) {
    setTimeout(() => waitForBatch(batch), 2);   // not all started yet: look again
    return;
  }
  const now = [];
  for (let i = 0; i < 8 && now.length < blocked; i++) {
    if (released.has(i)) continue;
    try {
      fs.closeSync(fs.openSync(fifos[i], fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
      released.add(i);
      now.push(i);
    } catch (e) {
      if (e.code !== 'ENXIO') throw e;
    }
  }
  console.log('batch ' + batch + ': ' + blocked + ' opens blocked on the pool; released ' + now.join(','));
  if (released.size < 8) setTimeout(() => waitForBatch(batch + 1), 2);
}
setTimeout(() => waitForBatch(1), 2);
