function onUnhandled(reason) { console.log('unhandled listener', reason.message); }
process.on('unhandledRejection', onUnhandled);
process.on('uncaughtException', (err, origin) => console.log('uncaught', err.message, origin));
Promise.reject(new Error('first'));
setTimeout(() => {
  process.off('unhandledRejection', onUnhandled);
  Promise.reject(new Error('second'));
  setTimeout(() => { throw new Error('third'); }, 1);
}, 1);
console.log('main');
