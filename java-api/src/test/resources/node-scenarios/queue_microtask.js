// Port of test-queue-microtask.js: queueMicrotask interleaves FIFO with promise jobs; a throwing
// microtask goes to 'uncaughtException' and the others still run. (The argument type checks
// become Java's null check.)
try {
  queueMicrotask(null);
} catch (e) {
  console.log('queueMicrotask(null) refused');
}
{
  let called = false;
  queueMicrotask(() => {
    called = true;
  });
  console.log('called synchronously ' + called);
}
{
  const q = [];
  Promise.resolve().then(() => q.push('a')).then(() => console.log('then after a'));
  queueMicrotask(() => q.push('b'));
  Promise.reject(new Error('r')).catch(() => q.push('c'));
  queueMicrotask(() => console.log('q ' + q.join(',')));
}
const eq = [];
process.on('uncaughtException', (e) => {
  eq.push(e.message);
});
process.on('exit', () => console.log('uncaught ' + eq.join(',')));
queueMicrotask(() => {
  throw new Error('E1');
});
queueMicrotask(() => {
  throw new Error('E2');
});
