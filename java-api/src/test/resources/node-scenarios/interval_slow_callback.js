// An interval whose callback takes longer than its period is rescheduled from the time its
// callback started: it never runs twice in one pass, and a timer due meanwhile runs in between.
const log = (s) => console.log(s);
function busy(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end);
}
let n = 0;
const iv = setInterval(() => {
  n++;
  log('interval ' + n);
  process.nextTick(() => log('tick ' + n));
  if (n === 1) {
    setTimeout(() => log('timeout 30 created in interval 1'), 30);
  }
  busy(80);
  if (n === 3) clearInterval(iv);
}, 20);
setImmediate(() => log('immediate'));
