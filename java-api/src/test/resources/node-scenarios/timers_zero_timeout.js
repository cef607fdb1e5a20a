// Port of test-timers-zero-timeout.js: 0 ms timeouts and intervals run (the arguments part is a
// closure in Java).
let ncalled1 = 0;
setTimeout(() => { ncalled1++; console.log('timeout f'); }, 0);
setTimeout(function() {}, 0);
let ncalled2 = 0;
const iv = setInterval(() => {
  console.log('interval f ' + (ncalled2 + 1));
  if (++ncalled2 === 3) clearTimeout(iv);
}, 0);
process.on('exit', () => console.log('exit ' + ncalled1 + ' ' + ncalled2));
