// Port of test-fs-write-stream-end.js: end() with and without a last chunk; 'close' comes and
// the file holds the chunk. (The two cases run one after the other here: in parallel, their
// order on the thread pool is not fixed.)
const fs = require('fs');
const os = require('os');
const dir = fs.mkdtempSync(os.tmpdir() + '/uv4j-');
{
  const file = dir + '/write-end-test0.txt';
  const stream = fs.createWriteStream(file);
  stream.end();
  stream.on('finish', () => console.log('0 finish'));
  stream.on('close', () => {
    console.log('0 close, size ' + fs.statSync(file).size);
    second();
  });
}
function second() {
  const file = dir + '/write-end-test1.txt';
  const stream = fs.createWriteStream(file);
  stream.end('a\n');
  stream.on('finish', () => console.log('1 finish'));
  stream.on('close', () => {
    console.log('1 close, content ' + JSON.stringify(fs.readFileSync(file, 'utf8')));
    fs.rmSync(dir, { recursive: true });
  });
}
