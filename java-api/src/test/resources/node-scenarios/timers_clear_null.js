// Port of test-timers-clear-null-does-not-throw-error.js: clearing null does not throw.
clearInterval(null);
clearTimeout(null);
clearImmediate(null);
console.log('no error');
