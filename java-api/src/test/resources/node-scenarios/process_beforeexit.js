// Port of test-process-beforeexit.js: each 'beforeExit' schedules more work (an immediate, a
// timer, a listening server, a chain of timers) and 'beforeExit' comes again when it is done.
const net = require('net');
process.once('beforeExit', tryImmediate);
function tryImmediate() {
  console.log('beforeExit 1');
  setImmediate(() => {
    console.log('immediate');
    process.once('beforeExit', tryTimer);
  });
}
function tryTimer() {
  console.log('beforeExit 2');
  setTimeout(() => {
    console.log('timer');
    process.once('beforeExit', tryListen);
  }, 1);
}
function tryListen() {
  console.log('beforeExit 3');
  const server = net.createServer().listen(0, '127.0.0.1').on('listening', function() {
    console.log('listening');
    server.close();
    process.once('beforeExit', tryRepeatedTimer);
  });
}
function tryRepeatedTimer() {
  console.log('beforeExit 4');
  const N = 5;
  let n = 0;
  const repeatedTimer = function() {
    console.log('repeated ' + (n + 1));
    if (++n < N) setTimeout(repeatedTimer, 1);
  };
  setTimeout(repeatedTimer, 1);
}
process.on('exit', (code) => console.log('exit ' + code));
