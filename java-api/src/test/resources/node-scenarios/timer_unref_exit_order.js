// An unref'd interval runs only while something else keeps the loop alive; ref() revives a
// timer; 'beforeExit' comes once all ref'd work is done, then 'exit'.
const log = (s) => console.log(s);
let n = 0;
const iv = setInterval(() => {
  n++;
}, 1);
iv.unref();
log('interval hasRef ' + iv.hasRef());
const t = setTimeout(() => log('unref then ref timer'), 30);
t.unref();
t.ref();
const u = setTimeout(() => log('unref timer (never)'), 1000);
u.unref();
setTimeout(() => {
  log('ref timer, interval ran: ' + (n > 0)); // at least once: due at 1 ms, before this 20 ms timer
}, 20);
let once = false;
process.on('beforeExit', () => {
  log('beforeExit');
  if (!once) {
    once = true;
    setTimeout(() => log('timer from beforeExit'), 1);
    process.nextTick(() => log('tick from beforeExit'));
  }
});
process.on('exit', (code) => {
  log('exit ' + code);
  setTimeout(() => log('never'), 0);
  process.nextTick(() => log('never tick'));
});
