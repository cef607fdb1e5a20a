// Timers with extra arguments; delays that Node coerces to 1 ms (negative, NaN, 0, a fraction
// below 1, 2^31 with its TimeoutOverflowWarning, Infinity) keep creation order; clearTimeout
// of null/undefined/a cleared timer is a no-op; hasRef and ref/unref return the timer (a
// cleared timer keeps its ref flag). Main blocks 15ms, so every 1 ms timer is due at once.
const log = (s) => console.log(s);
process.on('warning', (w) => log('warning ' + w.name + ' | ' + w.message.split('\n').join(' / ')));
setTimeout((a, b) => log('timeout args ' + a + ' ' + b), 100, 'x', 'y');
setImmediate((a) => log('immediate arg ' + a), 'imm');
let n = 0;
const iv = setInterval((a) => {
  log('interval arg ' + a + ' #' + ++n);
  if (n === 2) clearInterval(iv);
}, 150, 'iv');
setTimeout(() => log('delay -5'), -5);
setTimeout(() => log('delay NaN'), NaN);
setTimeout(() => log('delay 0'), 0);
setTimeout(() => log('delay 0.5'), 0.5);
setTimeout(() => log('delay 2^31'), 2 ** 31);
setTimeout(() => log('delay Infinity'), Infinity);
setTimeout(() => log('delay 1'), 1);
clearTimeout(null);
clearTimeout(undefined);
clearInterval(null);
clearImmediate(undefined);
const t = setTimeout(() => log('cleared twice (never)'), 1);
clearTimeout(t);
clearTimeout(t);
const u = setTimeout(() => log('never'), 10);
log('unref returns same ' + (u.unref() === u) + ' hasRef ' + u.hasRef());
log('ref returns same ' + (u.ref() === u) + ' hasRef ' + u.hasRef());
clearTimeout(u);
log('after clear hasRef ' + u.hasRef());
const im = setImmediate(() => {});
log('immediate hasRef ' + im.hasRef() + ' unref same ' + (im.unref() === im) + ' hasRef ' + im.hasRef());
process.nextTick(() => log('tick'));
const end = Date.now() + 15;
while (Date.now() < end);
log('main (blocked 15ms)');
