// Timers all due in the same pass (the main module blocks past their due times): one clears a
// later sibling of its list, a timer of another list and an interval; a timer it creates with
// the same duration waits for a later pass (after the immediates).
const log = (s) => console.log(s);
let b;
let other;
let iv;
setTimeout(() => {
  log('A clears B and other');
  clearTimeout(b);
  clearTimeout(other);
  setTimeout(() => log('E (created by A)'), 5);
  setImmediate(() => log('immediate from A'));
}, 5);
b = setTimeout(() => log('B (never)'), 5);
setTimeout(() => {
  log('C clears the interval');
  clearInterval(iv);
}, 5);
iv = setInterval(() => log('interval (never)'), 5);
other = setTimeout(() => log('other (never)'), 6);
setTimeout(() => log('D'), 5);
setTimeout(() => log('F (7ms)'), 7);
const end = Date.now() + 30;
while (Date.now() < end);
log('main blocked 30ms');
