// node-flags: --unhandled-rejections=warn
// An unhandled rejection under --unhandled-rejections=warn (lib/internal/process/promises.js):
// a first one with only an 'uncaughtException' listener, a second one once an
// 'unhandledRejection' listener exists; which of 'uncaughtException', 'unhandledRejection' and
// the UnhandledPromiseRejectionWarning pair each mode emits, and the exit code it leaves.
process.on('uncaughtException', (e, origin) => console.log('uncaught ' + e.message + ' ' + origin));
process.on('warning', (w) => console.log('warning ' + w.name + ': ' + w.message.split('\n')[0]));
process.on('exit', (code) => console.log('exit ' + code + ' exitCode ' + process.exitCode));
Promise.reject(new Error('boom'));
setTimeout(() => {
  console.log('timeout');
  process.on('unhandledRejection', (r) => console.log('unhandledRejection ' + r.message));
  Promise.reject(new Error('second'));
  process.nextTick(() => console.log('tick'));
}, 1);
console.log('main');
