// Port of test-next-tick-errors.js: a throwing tick is removed from the queue; the next one runs
// after 'uncaughtException' handled the error. (The TypeError checks of non-functions do not
// apply to Java's types: nextTick(null) is refused instead.)
const order = [];
let exceptionHandled = false;
process.nextTick(function() {
  order.push('A');
  what(); // eslint-disable-line no-undef
});
process.nextTick(function() {
  order.push('C');
});
try {
  process.nextTick(null);
} catch (e) {
  console.log('nextTick(null) refused');
}
process.on('uncaughtException', function() {
  if (!exceptionHandled) {
    exceptionHandled = true;
    order.push('B');
  } else {
    order.push('OOPS!');
  }
});
process.on('exit', function() {
  console.log(order.join(','));
});
