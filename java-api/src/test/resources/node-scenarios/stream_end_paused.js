// Port of test-stream-end-paused.js: 'end' of a paused 0-length stream is not missed.
const { Readable } = require('stream');
let gotEnd = false;
let calledRead = 0;
const stream = new Readable({
  read() {
    calledRead++;
    this.push(null);
  },
});
stream.on('data', function() {
  console.log('data (never)');
});
stream.pause();
setTimeout(function() {
  stream.on('end', function() {
    console.log('end');
    gotEnd = true;
  });
  stream.resume();
});
process.on('exit', function() {
  console.log('gotEnd ' + gotEnd + ' calledRead ' + calledRead);
});
