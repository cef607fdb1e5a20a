// Timers with extra arguments; delays that Node coerces to 1 ms (negative, NaN, 0, a fraction
// below 1, 2^31 with its TimeoutOverflowWarning, Infinity) keep creation order; clearTimeout
// of null/undefined/a cleared timer is a no-op; hasRef and ref/unref return the timer (a
// cleared timer keeps its ref flag). Main blocks 15ms, so every 1 ms timer is due at once. (The
// timers with arguments start in the immediate: timers made by the main script count from the
// loop's time before the script ran, so under load Node may find them due at the first pass.)
const log = (s) => console.log(s);
process.on('warning', (w) => log('warning ' + w.name + ' | ' + w.message.split('\n').join(' / ')));
setImmediate((a) => {
  log('immediate arg ' + a);
  setTimeout((x, y) => log('timeout args ' + x + ' ' + y), 20, 'x', 'y');
  let n = 0;
  const iv = setInterval((v) => {
    log('interval arg ' + v + ' #' + ++n);
    if (n === 2) clearInterval(iv);
  }, 30, 'iv');
}, 'imm');
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
