// fs at the descriptor level (open/write/read/close callbacks, each followed by its ticks), the
// *Sync forms, fs.constants, and createReadStream with {start, end, highWaterMark}.
const fs = require('fs');
const os = require('os');
const dir = fs.mkdtempSync(os.tmpdir() + '/uv4j-fd-');
const file = dir + '/f.txt';
fs.open(file, 'w+', (err, fd) => {
  console.log('open ' + err + ' ' + (fd >= 0));
  process.nextTick(() => console.log('tick after open'));
  fs.write(fd, Buffer.from('hello world'), 0, 11, 0, (err, n) => {
    console.log('write ' + err + ' ' + n);
    const buf = Buffer.alloc(5);
    fs.read(fd, buf, 0, 5, 6, (err, n) => {
      console.log('read ' + err + ' ' + n + ' ' + buf.toString());
      fs.close(fd, (err) => {
        console.log('close ' + err);
        const s = fs.createReadStream(file, { start: 2, end: 7, highWaterMark: 3 });
        s.on('data', (c) => console.log('data ' + c.toString()));
        s.on('end', () => console.log('end'));
        s.on('close', () => {
          console.log('stream closed, file ' + fs.readFileSync(file, 'utf8'));
          fs.rmSync(dir, { recursive: true, force: true });
          console.log('exists ' + fs.existsSync(dir));
          fs.close(12345, (err) => console.log('close bad fd ' + err.code));
        });
      });
    });
  });
});
console.log('sync ' + fs.existsSync(dir) + ' ' + (fs.constants.O_CREAT === 64));
