const fs = require('fs');
const os = require('os');
const path = require('path');
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-')), 'f.txt');
console.log('start');
fs.open(file, 'w', (err, fd) => {
  console.log('open ' + (err ? err.code : 'ok'));
  process.nextTick(() => console.log('tick after open'));
  fs.write(fd, Buffer.from('hello'), 0, 5, null, (err, n) => {
    console.log('write ' + n);
    fs.close(fd, () => {
      console.log('close');
      fs.stat(file, (err, st) => {
        console.log('stat size ' + st.size);
        fs.unlink(file, () => {
          console.log('unlink');
          fs.stat(file, (err) => {
            console.log('stat after unlink ' + err.code);
            fs.rmdirSync(path.dirname(file));
          });
        });
      });
    });
  });
  Promise.resolve().then(() => console.log('promise after open'));
});
console.log('end');
