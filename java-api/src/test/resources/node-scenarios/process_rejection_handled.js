process.on('unhandledRejection', (reason, p) => {
  console.log('unhandledRejection', reason.message, p === rejected);
  setTimeout(() => {
    p.catch(() => console.log('caught late'));
    process.nextTick(() => console.log('tick after catch'));
  }, 1);
});
process.on('rejectionHandled', (p) => console.log('rejectionHandled', p === rejected));
const rejected = Promise.reject(new Error('boom'));
process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('microtask'));
console.log('main');
