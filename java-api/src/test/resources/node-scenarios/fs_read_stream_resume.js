// Port of test-fs-read-stream-resume.js: a read stream paused on the next tick and resumed by a
// timer still delivers the whole file.
const fs = require('fs');
const os = require('os');
const dir = fs.mkdtempSync(os.tmpdir() + '/uv4j-');
const file = dir + '/x.txt';
fs.writeFileSync(file, 'xyz\n');
let data = '';
let first = true;
const stream = fs.createReadStream(file);
stream.on('data', function(chunk) {
  console.log('data ' + chunk.length);
  data += chunk.toString();
  if (first) {
    first = false;
    stream.resume();
  }
});
stream.on('end', () => console.log('end'));
process.nextTick(function() {
  stream.pause();
  console.log('paused');
  setTimeout(function() {
    console.log('resume');
    stream.resume();
  }, 100);
});
process.on('exit', function() {
  fs.rmSync(dir, { recursive: true });
  console.log('data ' + JSON.stringify(data));
});
