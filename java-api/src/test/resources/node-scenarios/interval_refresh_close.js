// An interval refreshed from another timer restarts its period from then; close() stops a
// timer like clearTimeout; hasRef() of a closed timer and of a fired one. Margins of 100 ms or
// more between the timers that must order (a loaded machine delays callbacks by tens of ms).
const log = (s) => console.log(s);
// (The 1 ms timer is made first: made last, a stalled Node under load once fired it after the
// longer ones made before it.)
const f = setTimeout(() => {
  log('fired');
  setImmediate(() => log('after fire hasRef ' + f.hasRef()));
}, 1);
let n = 0;
const iv = setInterval(() => {
  n++;
  log('interval ' + n);
  if (n === 2) clearInterval(iv);
}, 300);
setTimeout(() => {
  log('refresh the interval at 100');
  iv.refresh();
}, 100);
setTimeout(() => log('at 250: interval ran ' + n + ' times'), 250);
const t = setTimeout(() => log('closed (never)'), 10);
t.close();
log('closed timer hasRef ' + t.hasRef());
