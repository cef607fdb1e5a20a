// Port of test-timers-unref.js: unref'd timers and intervals do not keep the loop alive but still
// fire while something else does; an unref'd long one never fires.
let intervalFired = false;
let timeoutFired = false;
let unrefInterval = false;
let unrefTimer = false;
let unrefCallbacks = 0;
let checks = 0;
const LONG_TIME = 10 * 1000;
const SHORT_TIME = 100;
setTimeout(function() {}, 10).unref().ref().unref();
setInterval(function() {}, 10).unref().ref().unref();
setInterval(function() { intervalFired = true; }, LONG_TIME).unref();
setTimeout(function() { timeoutFired = true; }, LONG_TIME).unref();
const interval = setInterval(function() {
  unrefInterval = true;
  clearInterval(interval);
}, SHORT_TIME);
interval.unref();
setTimeout(function() { unrefTimer = true; }, SHORT_TIME).unref();
const checkUnref = setInterval(function() {
  if (checks > 5 || (unrefInterval && unrefTimer)) clearInterval(checkUnref);
  checks += 1;
}, 100);
const self = setTimeout(function() {
  unrefCallbacks++;
  self.unref();
}, SHORT_TIME);
const selfInterval = setInterval(function() {
  selfInterval.unref();
}, SHORT_TIME);
{
  const t = setInterval(function() {}, 1);
  process.nextTick(() => t.unref());
}
process.on('exit', function() {
  console.log('interval fired ' + intervalFired);
  console.log('timeout fired ' + timeoutFired);
  console.log('unref timer ' + unrefTimer);
  console.log('unref interval ' + unrefInterval);
  console.log('unref callbacks ' + unrefCallbacks);
});
