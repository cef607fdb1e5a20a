// fs streams: 'open', 'ready', then writes (buffered ones in one writev), the end callback,
// 'finish', 'close'; a read stream's 'data' chunks of highWaterMark bytes, 'end', 'close';
// write() returns false at the high-water mark and 'drain' follows; an open error is
// 'error' then 'close'.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const file = path.join(dir, 'a.txt');
const ws = fs.createWriteStream(file, { highWaterMark: 8 });
ws.on('open', () => log('ws open'));
ws.on('ready', () => log('ws ready'));
ws.on('drain', () => log('ws drain (never: end() was called)'));
ws.on('finish', () => log('ws finish'));
ws.on('close', () => {
  log('ws close, bytesWritten ' + ws.bytesWritten);
  const rs = fs.createReadStream(file, { highWaterMark: 10 });
  rs.on('open', () => log('rs open'));
  rs.on('ready', () => log('rs ready'));
  rs.on('data', (d) => log('rs data [' + d + ']'));
  rs.on('end', () => log('rs end'));
  rs.on('close', () => {
    log('rs close, bytesRead ' + rs.bytesRead);
    const w2 = fs.createWriteStream(path.join(dir, 'b.txt'), { highWaterMark: 4 });
    log('w2 write returned ' + w2.write('12345'));
    log('w2 writableNeedDrain ' + w2.writableNeedDrain);
    w2.on('drain', () => {
      log('w2 drain');
      w2.end('6', () => log('w2 end cb'));
    });
    w2.on('close', () => {
      log('w2 close');
      const bad = fs.createReadStream(path.join(dir, 'nope'));
      bad.on('open', () => log('bad open (never)'));
      bad.on('error', (e) => log('bad error ' + e.code + ' ' + e.syscall + ' ' + (e.path === path.join(dir, 'nope'))));
      bad.on('close', () => {
        log('bad close');
        fs.rm(dir, { recursive: true }, (err) => log('rm ' + err));
      });
    });
  });
});
log('write1 returned ' + ws.write('hello ', () => log('write1 cb')));
log('write2 returned ' + ws.write('world, this is long', () => log('write2 cb')));
ws.end('!', () => log('end cb'));
log('main done');
